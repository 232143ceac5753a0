// The checks that decide PASS, as pure functions over what came back: the issued certificate against
// the unit's key and the profile's templates, and the unit's read-back against what was written. Shared
// by the main credential and the bootstrap credential; tested without devices.
#pragma once

#include "JobFailure.h"
#include "ProductProfile.h"

#include "Error.h"
#include "device/DriverTypes.h"

#include "crypto/Certificate.h"

#include <QList>
#include <QMap>

#include <optional>

namespace station::provisioning {

/// The certificate carries `expectedPublicKey` (when given), the subject the template makes of `fields`,
/// and every subjectAltName of the SAN templates.
[[nodiscard]] Result<void> checkIssuedCertificate(const crypto::Certificate &certificate,
                                                  const QByteArray &expectedPublicKey,
                                                  const EnrollmentSettings &enrollment,
                                                  const QMap<QString, QString> &fields);

/// What goes to a unit as its chain: leaf and intermediates; a self-signed root is a trust anchor, not chain.
[[nodiscard]] QList<crypto::Certificate> chainForUnit(const crypto::Certificate &leaf,
                                                      const QList<crypto::Certificate> &chain);

/// One item the unit must report after the writes: its kind and the digest of what was written.
struct ReadBackExpectation {
    device::CredentialKind kind;
    QByteArray sha256;
};

struct ReadBackProblem {
    JobFailure failure;
    Error error;
};

/// Every expectation met by a present, committed item with the same digest; the first problem otherwise.
[[nodiscard]] std::optional<ReadBackProblem> checkReadBack(const device::StoredCredentials &stored,
                                                           const QList<ReadBackExpectation> &expected);

} // namespace station::provisioning
