#include "JobFailure.h"

#include <QCoreApplication>

namespace station::provisioning {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("JobFailure", text);
}
} // namespace

QString jobFailureName(JobFailure failure)
{
    switch (failure) {
    case JobFailure::None: return {};
    case JobFailure::DeviceUnplugged: return QStringLiteral("device-unplugged");
    case JobFailure::DeviceNotResponding: return QStringLiteral("device-not-responding");
    case JobFailure::DeviceRefused: return QStringLiteral("device-refused");
    case JobFailure::DeviceLink: return QStringLiteral("device-link");
    case JobFailure::IdentityInvalid: return QStringLiteral("identity-invalid");
    case JobFailure::BarcodeMismatch: return QStringLiteral("barcode-mismatch");
    case JobFailure::AlreadyProvisioned: return QStringLiteral("already-provisioned");
    case JobFailure::DuplicateKey: return QStringLiteral("duplicate-key");
    case JobFailure::KeyGenFailed: return QStringLiteral("keygen-failed");
    case JobFailure::CsrInvalid: return QStringLiteral("csr-invalid");
    case JobFailure::AttestationInvalid: return QStringLiteral("attestation-invalid");
    case JobFailure::EstUnreachable: return QStringLiteral("est-unreachable");
    case JobFailure::EstTrust: return QStringLiteral("est-trust");
    case JobFailure::EstAuthentication: return QStringLiteral("est-authentication");
    case JobFailure::EstRefused: return QStringLiteral("est-refused");
    case JobFailure::EstNotPreregistered: return QStringLiteral("est-not-preregistered");
    case JobFailure::EstEnrollmentForbidden: return QStringLiteral("est-enrollment-forbidden");
    case JobFailure::EstServerError: return QStringLiteral("est-server-error");
    case JobFailure::EstPending: return QStringLiteral("est-pending");
    case JobFailure::EstBadAnswer: return QStringLiteral("est-bad-answer");
    case JobFailure::EstOutcomeUnknown: return QStringLiteral("est-outcome-unknown");
    case JobFailure::CertificateWrongKey: return QStringLiteral("certificate-wrong-key");
    case JobFailure::CertificateUntrusted: return QStringLiteral("certificate-untrusted");
    case JobFailure::CertificateContent: return QStringLiteral("certificate-content");
    case JobFailure::ReadBackMismatch: return QStringLiteral("readback-mismatch");
    case JobFailure::NotCommitted: return QStringLiteral("not-committed");
    case JobFailure::ManifestWrite: return QStringLiteral("manifest-write");
    case JobFailure::Timeout: return QStringLiteral("timeout");
    case JobFailure::Cancelled: return QStringLiteral("cancelled");
    case JobFailure::Configuration: return QStringLiteral("configuration");
    case JobFailure::Internal: return QStringLiteral("internal");
    }
    return QStringLiteral("internal");
}

OperatorMessage operatorMessage(JobFailure failure, JobState step)
{
    const QString during = jobStateLabel(step).toLower();
    switch (failure) {
    case JobFailure::None: return {};
    case JobFailure::DeviceUnplugged:
        return {tr("The unit was unplugged while %1.").arg(during),
                tr("Plug it in again and scan it; the attempt starts over.")};
    case JobFailure::DeviceNotResponding:
        return {tr("The unit stopped answering while %1.").arg(during),
                tr("Replug the unit (check the cable and the fixture) and scan it again.")};
    case JobFailure::DeviceRefused:
        return {tr("The unit refused a command while %1.").arg(during),
                tr("Check that the unit runs the production firmware for this profile; set it aside if it repeats.")};
    case JobFailure::DeviceLink:
        return {tr("The connection to the unit failed while %1.").arg(during),
                tr("Check the cable and the port, replug the unit and scan it again.")};
    case JobFailure::IdentityInvalid:
        return {tr("The unit could not prove its identity."),
                tr("Set the unit aside for engineering; do not provision it.")};
    case JobFailure::BarcodeMismatch:
        return {tr("The scanned label does not belong to this unit."), tr("Scan the label of the unit in this slot.")};
    case JobFailure::AlreadyProvisioned:
        return {tr("This unit is already provisioned (a PASS is on record)."),
                tr("Remove it; a supervisor can re-provision it if that is intended.")};
    case JobFailure::DuplicateKey:
        return {tr("The unit's key is already on record for another unit."),
                tr("Set the unit aside for engineering: its key generator is not unique.")};
    case JobFailure::KeyGenFailed:
        return {tr("The unit could not generate its key."), tr("Replug and retry; set the unit aside if it repeats.")};
    case JobFailure::CsrInvalid:
        return {tr("The unit's certificate request is not valid."),
                tr("Set the unit aside for engineering (firmware problem).")};
    case JobFailure::AttestationInvalid:
        return {tr("The unit's key attestation did not verify."),
                tr("Set the unit aside for engineering; do not provision it.")};
    case JobFailure::EstUnreachable:
        return {tr("The EST server could not be reached."),
                tr("Check the station's network connection, then scan the unit again.")};
    case JobFailure::EstTrust:
        return {tr("The EST server's certificate is not trusted."),
                tr("Call the supervisor: the trust anchors in the profile do not match the server.")};
    case JobFailure::EstAuthentication:
        return {tr("The EST server refused the station's credentials."),
                tr("Call the supervisor: the station's EST credential is wrong or expired.")};
    case JobFailure::EstRefused:
        return {tr("The EST server refused the request."),
                tr("Call the supervisor with the details; the unit can be retried once it is fixed.")};
    case JobFailure::EstNotPreregistered:
        return {tr("This unit is not pre-registered in the DMS, which enrolls only units uploaded beforehand."),
                tr("Set it aside: the supervisor uploads the manifest to the DMS (provctl manifest upload), then "
                   "scan the unit again.")};
    case JobFailure::EstEnrollmentForbidden:
        return {tr("The DMS refuses to enroll this unit again: it exists there and replaceable enrollment is off."),
                tr("Set it aside and call the supervisor: the DMS must allow replaceable enrollment, or the unit "
                   "re-enrolls with its current certificate.")};
    case JobFailure::EstServerError:
        return {tr("The EST server had an internal error."),
                tr("Scan the unit again; call the supervisor if it repeats.")};
    case JobFailure::EstPending:
        return {tr("The CA did not issue the certificate in time (request pending)."),
                tr("Scan the unit again later; call the supervisor if approvals are stuck.")};
    case JobFailure::EstBadAnswer:
        return {tr("The EST server's answer could not be read."),
                tr("Call the supervisor: the EST URL may point to the wrong service.")};
    case JobFailure::EstOutcomeUnknown:
        return {tr("The connection broke after the request was sent: the CA may have issued a certificate."),
                tr("Set the unit aside and call the supervisor before retrying (the DMS may refuse a second "
                   "enrollment).")};
    case JobFailure::CertificateWrongKey:
        return {tr("The CA returned a certificate for a different key."),
                tr("Call the supervisor; do not ship the unit.")};
    case JobFailure::CertificateUntrusted:
        return {tr("The returned certificate does not chain to the trusted CA."),
                tr("Call the supervisor: the EST server may be the wrong one.")};
    case JobFailure::CertificateContent:
        return {tr("The returned certificate does not say what the profile requires (subject or names)."),
                tr("Call the supervisor: the CA's template and the profile disagree.")};
    case JobFailure::ReadBackMismatch:
        return {tr("What the unit stored differs from what was written."),
                tr("Replug and scan the unit again; check the cable if it repeats.")};
    case JobFailure::NotCommitted:
        return {tr("The unit did not confirm storing its credentials."), tr("Replug and scan the unit again.")};
    case JobFailure::ManifestWrite:
        return {tr("The result could not be recorded in the manifest."),
                tr("Call the supervisor: the disk may be full or read-only. The unit must be provisioned again.")};
    case JobFailure::Timeout:
        return {tr("The step took too long: %1.").arg(during), tr("Replug the unit and scan it again.")};
    case JobFailure::Cancelled:
        return {tr("Cancelled while %1.").arg(during), tr("Scan the unit again to restart it.")};
    case JobFailure::Configuration:
        return {tr("The station is not set up for this step."),
                tr("Call the supervisor to check the product profile.")};
    case JobFailure::Internal:
        return {tr("The station hit an internal error while %1.").arg(during),
                tr("Scan the unit again; report the details if it repeats.")};
    }
    return {};
}

JobFailure classifyFailure(JobState step, const Error &error)
{
    switch (error.code) {
    case ErrorCode::DeviceGone: return JobFailure::DeviceUnplugged;
    case ErrorCode::DeviceTimeout: return JobFailure::DeviceNotResponding;
    case ErrorCode::Cancelled: return JobFailure::Cancelled;
    case ErrorCode::Database: return JobFailure::ManifestWrite;
    case ErrorCode::OutcomeUnknown: return JobFailure::EstOutcomeUnknown;
    default: break;
    }
    if (isDeviceState(step)) {
        switch (error.code) {
        case ErrorCode::Timeout: return JobFailure::DeviceNotResponding;
        case ErrorCode::Device:
            return step == JobState::GeneratingKey ? JobFailure::KeyGenFailed : JobFailure::DeviceRefused;
        case ErrorCode::Io:
        case ErrorCode::Parse: return JobFailure::DeviceLink;
        case ErrorCode::Verification:
            if (step == JobState::Identifying)
                return JobFailure::IdentityInvalid;
            if (step == JobState::GeneratingKey)
                return JobFailure::CsrInvalid;
            return JobFailure::ReadBackMismatch;
        case ErrorCode::Authentication: return JobFailure::DeviceLink; // port permission
        default: return JobFailure::Internal;
        }
    }
    if (isEstState(step)) {
        // What the DMS decided, named by its own words: a refusal, whatever status carried it (Lamassu
        // answers 500 for all of them).
        if (error.reason == QLatin1String("device not preregistered"))
            return JobFailure::EstNotPreregistered;
        if (error.reason == QLatin1String("forbiddennewenrollment"))
            return JobFailure::EstEnrollmentForbidden;
        if (!error.reason.isEmpty() && error.code != ErrorCode::Authentication && error.code != ErrorCode::Unsupported)
            return JobFailure::EstRefused;
        switch (error.code) {
        case ErrorCode::Network:
        case ErrorCode::Timeout: return JobFailure::EstUnreachable;
        case ErrorCode::Tls: return JobFailure::EstTrust;
        case ErrorCode::Authentication: return JobFailure::EstAuthentication;
        case ErrorCode::Http:
        case ErrorCode::NotFound:
            if (error.httpStatus == 202)
                return JobFailure::EstPending;
            return error.httpStatus >= 500 ? JobFailure::EstServerError : JobFailure::EstRefused;
        case ErrorCode::Parse: return JobFailure::EstBadAnswer;
        case ErrorCode::Verification:
            return error.message.contains(QLatin1String("public key"), Qt::CaseInsensitive)
                       ? JobFailure::CertificateWrongKey
                       : JobFailure::CertificateUntrusted;
        case ErrorCode::InvalidArgument:
        case ErrorCode::Unsupported: return JobFailure::Configuration;
        default: return JobFailure::Internal;
        }
    }
    if (error.code == ErrorCode::Timeout)
        return JobFailure::Timeout;
    return JobFailure::Internal;
}

} // namespace station::provisioning
