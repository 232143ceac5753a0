// Shared by the files of ProvisioningJob (ProvisioningJob.cpp: lifecycle and the state machine;
// ProvisioningJobSteps.cpp: what each state does; ProvisioningJobRecord.cpp: the manifest row and the
// evidence): the logging category, small helpers, and the guard for driver completions.
#pragma once

#include "ProvisioningJob.h"

#include <QLoggingCategory>
#include <QPointer>

namespace station::provisioning {

Q_DECLARE_LOGGING_CATEGORY(lcJob)

inline Error jobError(const QString &message, const QString &detail = {})
{
    return Error(ErrorCode::Verification, message, detail);
}

template <typename T> device::DeviceDriver::Done<T> ProvisioningJob::guarded(std::function<void(Result<T>)> next)
{
    QPointer<ProvisioningJob> self(this);
    const JobState at = m_state;
    return [self, at, next = std::move(next)](Result<T> result) {
        if (!self || self->m_destroying || self->m_state != at)
            return; // the job moved on (timeout, unplug, cancel) or is gone
        next(std::move(result));
    };
}

} // namespace station::provisioning
