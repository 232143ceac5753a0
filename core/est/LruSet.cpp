#include "LruSet.h"

namespace station::est {

void LruSet::insert(const QByteArray &key)
{
    if (auto it = m_index.find(key); it != m_index.end()) {
        m_order.splice(m_order.begin(), m_order, it.value());
        return;
    }
    m_order.push_front(key);
    m_index.insert(key, m_order.begin());
    while (m_index.size() > m_capacity) {
        m_index.remove(m_order.back());
        m_order.pop_back();
    }
}

bool LruSet::remove(const QByteArray &key)
{
    const auto it = m_index.find(key);
    if (it == m_index.end())
        return false;
    m_order.erase(it.value());
    m_index.erase(it);
    return true;
}

} // namespace station::est
