// A set of byte strings with a fixed capacity that forgets the least recently used entry when full. The lab
// EST server keeps the CSRs it answered "202 Accepted" in one, so its bookkeeping cannot grow with every
// CSR a client invents.
#pragma once

#include <QByteArray>
#include <QHash>

#include <list>

namespace station::est {

class LruSet
{
public:
    explicit LruSet(qsizetype capacity) : m_capacity(qMax<qsizetype>(1, capacity)) {}

    /// Adds `key` (or marks it most recently used); evicts the least recently used entry beyond capacity.
    void insert(const QByteArray &key);
    /// Removes `key`; true when it was present.
    bool remove(const QByteArray &key);
    [[nodiscard]] bool contains(const QByteArray &key) const { return m_index.contains(key); }
    [[nodiscard]] qsizetype size() const { return m_index.size(); }
    [[nodiscard]] qsizetype capacity() const { return m_capacity; }

private:
    qsizetype m_capacity;
    std::list<QByteArray> m_order; ///< most recently used first
    QHash<QByteArray, std::list<QByteArray>::iterator> m_index;
};

} // namespace station::est
