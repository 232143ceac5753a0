// The five EST operations of RFC 7030 and their path segments, shared by the client, the CLI and the
// tests so that the URL spelling lives in one place.
#pragma once

#include <QString>

#include <optional>

namespace station::est {

enum class EstOperation { CaCerts, CsrAttrs, SimpleEnroll, SimpleReenroll, ServerKeygen };

/// The path segment after the base URL: "cacerts", "csrattrs", "simpleenroll", "simplereenroll",
/// "serverkeygen".
[[nodiscard]] QString estOperationPath(EstOperation op);
/// The segment back to the operation (exact, lower case); nullopt for anything else.
[[nodiscard]] std::optional<EstOperation> estOperationFromPath(const QString &path);
/// True for the operations that POST a CSR.
[[nodiscard]] bool estOperationSendsCsr(EstOperation op);

} // namespace station::est
