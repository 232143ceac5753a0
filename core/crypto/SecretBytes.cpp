#include "SecretBytes.h"

#include <QtGlobal>

#include <openssl/crypto.h>

#include <cstring>
#include <utility>

namespace station::crypto {

void wipe(QByteArray &data)
{
    if (data.isEmpty()) {
        data.clear();
        return;
    }
    // A shared buffer belongs to someone else too: wiping it would corrupt their copy, and detaching
    // would leave the original untouched anyway. Only wipe what this object alone owns. (Raw data from
    // QByteArray::fromRawData is never "detached": it belongs to whoever lent it.)
    if (!data.isDetached()) {
        data.clear();
        return;
    }
    OPENSSL_cleanse(data.data(), static_cast<size_t>(data.size()));
    data.clear();
}

SecretBytes::SecretBytes(QByteArray data) : SecretBytes(copyOf(data))
{
    wipe(data);
}

SecretBytes SecretBytes::copyOf(QByteArrayView data)
{
    SecretBytes s;
    if (data.isEmpty())
        return s;
    // One byte more, always NUL: constData() is safe where a C string is expected (as QByteArray's is).
    s.m_data = std::make_unique<char[]>(static_cast<size_t>(data.size()) + 1);
    std::memcpy(s.m_data.get(), data.data(), static_cast<size_t>(data.size()));
    s.m_data[static_cast<size_t>(data.size())] = '\0';
    s.m_size = data.size();
    return s;
}

SecretBytes::~SecretBytes()
{
    clear();
}

SecretBytes::SecretBytes(SecretBytes &&other) noexcept
    : m_data(std::move(other.m_data)), m_size(std::exchange(other.m_size, 0))
{}

SecretBytes &SecretBytes::operator=(SecretBytes &&other) noexcept
{
    if (this != &other) {
        clear();
        m_data = std::move(other.m_data);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

SecretBytes SecretBytes::clone() const
{
    return copyOf(view());
}

QByteArray SecretBytes::borrow() const
{
    return m_size == 0 ? QByteArray() : QByteArray::fromRawData(m_data.get(), m_size);
}

void SecretBytes::clear()
{
    if (m_data)
        OPENSSL_cleanse(m_data.get(), static_cast<size_t>(m_size));
    m_data.reset();
    m_size = 0;
}

Result<SecretBytes> secretFromEnvironment(const QString &variable, const QString &what)
{
    if (variable.isEmpty())
        return SecretBytes{};
    const QByteArray name = variable.toLocal8Bit();
    if (!qEnvironmentVariableIsSet(name.constData()))
        return fail(ErrorCode::InvalidArgument,
                    QStringLiteral("The environment variable %1 (the %2) is not set").arg(variable, what), {},
                    QStringLiteral("Set it (export %1=...) before starting provctl or the station, or name "
                                   "another variable.")
                        .arg(variable));
    return SecretBytes(qgetenv(name.constData()));
}

} // namespace station::crypto
