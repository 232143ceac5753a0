// Every way a provisioning job can end other than PASS, each with one stable code (for the manifest and
// scripts) and one operator message: the likely cause first, the remedy second. classifyFailure() maps
// a step's Error to its code; the job adds the technical detail.
#pragma once

#include "JobMachine.h"

#include "Error.h"

#include <QString>

namespace station::provisioning {

enum class JobFailure {
    None,
    DeviceUnplugged,
    DeviceNotResponding,
    DeviceRefused,
    DeviceLink,
    IdentityInvalid,
    BarcodeMismatch,
    AlreadyProvisioned,
    DuplicateKey,
    KeyGenFailed,
    CsrInvalid,
    AttestationInvalid,
    EstUnreachable,
    EstTrust,
    EstAuthentication,
    EstRefused,
    EstNotPreregistered,    ///< a PRE_REGISTRATION DMS does not know the unit (upload it first)
    EstEnrollmentForbidden, ///< the DMS knows the unit and will not enroll it again
    EstServerError,
    EstPending,
    EstBadAnswer,
    EstOutcomeUnknown,
    CertificateWrongKey,
    CertificateUntrusted,
    CertificateContent,
    ReadBackMismatch,
    NotCommitted,
    ManifestWrite,
    Timeout,
    Cancelled,
    Configuration,
    Internal,
};

struct OperatorMessage {
    QString cause;
    QString remedy;
    [[nodiscard]] QString text() const { return remedy.isEmpty() ? cause : cause + QLatin1Char(' ') + remedy; }
};

/// "device-unplugged", "est-unreachable", ... (stable).
[[nodiscard]] QString jobFailureName(JobFailure failure);
/// Cause and remedy for the operator; `step` is the state the job was in.
[[nodiscard]] OperatorMessage operatorMessage(JobFailure failure, JobState step);
/// The failure a step's error means (a timeout in a device step is the device's, in an EST step the
/// network's, ...).
[[nodiscard]] JobFailure classifyFailure(JobState step, const Error &error);

} // namespace station::provisioning
