#include "EstOperation.h"

namespace station::est {

QString estOperationPath(EstOperation op)
{
    switch (op) {
    case EstOperation::CaCerts: return QStringLiteral("cacerts");
    case EstOperation::CsrAttrs: return QStringLiteral("csrattrs");
    case EstOperation::SimpleEnroll: return QStringLiteral("simpleenroll");
    case EstOperation::SimpleReenroll: return QStringLiteral("simplereenroll");
    case EstOperation::ServerKeygen: return QStringLiteral("serverkeygen");
    }
    return {};
}

std::optional<EstOperation> estOperationFromPath(const QString &path)
{
    for (EstOperation op : {EstOperation::CaCerts, EstOperation::CsrAttrs, EstOperation::SimpleEnroll,
                            EstOperation::SimpleReenroll, EstOperation::ServerKeygen}) {
        if (path == estOperationPath(op))
            return op;
    }
    return std::nullopt;
}

bool estOperationSendsCsr(EstOperation op)
{
    return op == EstOperation::SimpleEnroll || op == EstOperation::SimpleReenroll || op == EstOperation::ServerKeygen;
}

} // namespace station::est
