#include "JobMachine.h"

#include <QCoreApplication>

namespace station::provisioning {

bool isTerminal(JobState state)
{
    return state == JobState::Passed || state == JobState::Failed || state == JobState::Incomplete;
}

bool isDeviceState(JobState state)
{
    switch (state) {
    case JobState::Opening:
    case JobState::Identifying:
    case JobState::InjectingTrust:
    case JobState::InjectingBootstrap:
    case JobState::GeneratingKey:
    case JobState::WritingKey:
    case JobState::WritingChain:
    case JobState::Committing:
    case JobState::Verifying: return true;
    default: return false;
    }
}

bool isEstState(JobState state)
{
    return state == JobState::FetchingCsrAttrs || state == JobState::Enrolling || state == JobState::ServerKeygen;
}

bool isWriteState(JobState state)
{
    return state == JobState::InjectingTrust || state == JobState::InjectingBootstrap ||
           state == JobState::WritingKey || state == JobState::WritingChain || state == JobState::Committing;
}

JobState nextState(const JobPlan &plan, JobState state)
{
    auto keyStep = [&plan] { return plan.serverKeygen ? JobState::ServerKeygen : JobState::GeneratingKey; };
    auto afterTrust = [&] { return plan.injectBootstrap ? JobState::InjectingBootstrap : keyStep(); };
    auto afterCsrAttrs = [&] { return plan.injectTrust ? JobState::InjectingTrust : afterTrust(); };
    auto afterRecordCheck = [&] { return plan.fetchCsrAttrs ? JobState::FetchingCsrAttrs : afterCsrAttrs(); };
    switch (state) {
    case JobState::Detected: return JobState::Opening;
    case JobState::Opening: return JobState::Identifying;
    case JobState::Identifying: return plan.needsScan ? JobState::AwaitingScan : JobState::CheckingRecord;
    case JobState::AwaitingScan: return JobState::CheckingRecord;
    case JobState::CheckingRecord:
    case JobState::AwaitingConfirmation: return afterRecordCheck();
    case JobState::FetchingCsrAttrs: return afterCsrAttrs();
    case JobState::InjectingTrust: return afterTrust();
    case JobState::InjectingBootstrap: return keyStep();
    case JobState::GeneratingKey: return JobState::Enrolling;
    case JobState::Enrolling: return JobState::WritingChain;
    case JobState::ServerKeygen: return JobState::WritingKey;
    case JobState::WritingKey: return JobState::WritingChain;
    case JobState::WritingChain: return JobState::Committing;
    case JobState::Committing: return JobState::Verifying;
    case JobState::Verifying: return JobState::Recording;
    case JobState::Recording: return JobState::Passed;
    case JobState::Passed:
    case JobState::Failed:
    case JobState::Incomplete: return state;
    }
    return JobState::Failed;
}

JobTransition transition(const JobPlan &plan, JobState state, JobEvent event)
{
    if (isTerminal(state))
        return {state, NoAction}; // a finished job ignores everything

    const JobActions enter = Journal | StartTimer | RunStep;
    // An interrupted write may have reached the unit: look before recording what it holds.
    const JobActions probe = isWriteState(state) ? JobActions(ProbeDevice) : JobActions(NoAction);

    switch (event) {
    case JobEvent::Start:
        if (state == JobState::Detected)
            return {JobState::Opening, StartTimer | RunStep};
        return {state, NoAction};
    case JobEvent::StepDone: {
        // Waiting states finish by their own events, not by a step result.
        if (state == JobState::Detected || state == JobState::AwaitingScan || state == JobState::AwaitingConfirmation)
            return {state, NoAction};
        const JobState next = nextState(plan, state);
        if (next == JobState::Passed)
            return {JobState::Passed, StopTimer | WipeSecrets | CloseDevice};
        return {next, StopTimer | enter};
    }
    case JobEvent::StepFailed:
        if (state == JobState::Detected)
            return {state, NoAction};
        return {JobState::Failed, StopTimer | CancelPending | WipeSecrets | probe | CloseDevice | Record};
    case JobEvent::TimedOut:
        if (state == JobState::Detected)
            return {state, NoAction};
        return {JobState::Failed, StopTimer | CancelPending | WipeSecrets | probe | CloseDevice | Record};
    case JobEvent::Scanned:
        if (state == JobState::AwaitingScan)
            return {nextState(plan, state), StopTimer | enter};
        return {state, NoAction};
    case JobEvent::NeedsConfirmation:
        if (state == JobState::CheckingRecord)
            return {JobState::AwaitingConfirmation, StopTimer | Journal | StartTimer};
        return {state, NoAction};
    case JobEvent::Confirmed:
        if (state == JobState::AwaitingConfirmation)
            return {nextState(plan, state), StopTimer | enter};
        return {state, NoAction};
    case JobEvent::Unplugged:
        // Nothing can be asked of a unit that is gone.
        return {JobState::Incomplete, StopTimer | CancelPending | WipeSecrets | CloseDevice | Record};
    case JobEvent::Cancel:
        if (state == JobState::Detected)
            return {JobState::Incomplete, WipeSecrets};
        return {JobState::Incomplete, StopTimer | CancelPending | WipeSecrets | probe | CloseDevice | Record};
    }
    return {state, NoAction};
}

QString jobStateName(JobState state)
{
    switch (state) {
    case JobState::Detected: return QStringLiteral("detected");
    case JobState::Opening: return QStringLiteral("opening");
    case JobState::Identifying: return QStringLiteral("identifying");
    case JobState::AwaitingScan: return QStringLiteral("awaiting-scan");
    case JobState::CheckingRecord: return QStringLiteral("checking-record");
    case JobState::AwaitingConfirmation: return QStringLiteral("awaiting-confirmation");
    case JobState::FetchingCsrAttrs: return QStringLiteral("fetching-csrattrs");
    case JobState::InjectingTrust: return QStringLiteral("injecting-trust");
    case JobState::InjectingBootstrap: return QStringLiteral("injecting-bootstrap");
    case JobState::GeneratingKey: return QStringLiteral("generating-key");
    case JobState::Enrolling: return QStringLiteral("enrolling");
    case JobState::ServerKeygen: return QStringLiteral("server-keygen");
    case JobState::WritingKey: return QStringLiteral("writing-key");
    case JobState::WritingChain: return QStringLiteral("writing-chain");
    case JobState::Committing: return QStringLiteral("committing");
    case JobState::Verifying: return QStringLiteral("verifying");
    case JobState::Recording: return QStringLiteral("recording");
    case JobState::Passed: return QStringLiteral("passed");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Incomplete: return QStringLiteral("incomplete");
    }
    return QStringLiteral("unknown");
}

QString jobEventName(JobEvent event)
{
    switch (event) {
    case JobEvent::Start: return QStringLiteral("start");
    case JobEvent::StepDone: return QStringLiteral("step-done");
    case JobEvent::StepFailed: return QStringLiteral("step-failed");
    case JobEvent::TimedOut: return QStringLiteral("timed-out");
    case JobEvent::Scanned: return QStringLiteral("scanned");
    case JobEvent::NeedsConfirmation: return QStringLiteral("needs-confirmation");
    case JobEvent::Confirmed: return QStringLiteral("confirmed");
    case JobEvent::Unplugged: return QStringLiteral("unplugged");
    case JobEvent::Cancel: return QStringLiteral("cancel");
    }
    return QStringLiteral("unknown");
}

QString jobStateLabel(JobState state)
{
    switch (state) {
    case JobState::Detected: return QCoreApplication::translate("JobState", "Unit detected");
    case JobState::Opening: return QCoreApplication::translate("JobState", "Connecting");
    case JobState::Identifying: return QCoreApplication::translate("JobState", "Identifying");
    case JobState::AwaitingScan: return QCoreApplication::translate("JobState", "Scan the label");
    case JobState::CheckingRecord: return QCoreApplication::translate("JobState", "Checking records");
    case JobState::AwaitingConfirmation: return QCoreApplication::translate("JobState", "Supervisor must confirm");
    case JobState::FetchingCsrAttrs: return QCoreApplication::translate("JobState", "Asking the CA");
    case JobState::InjectingTrust: return QCoreApplication::translate("JobState", "Writing trust anchors");
    case JobState::InjectingBootstrap:
        return QCoreApplication::translate("JobState", "Writing the bootstrap credential");
    case JobState::GeneratingKey: return QCoreApplication::translate("JobState", "Generating the key");
    case JobState::Enrolling: return QCoreApplication::translate("JobState", "Enrolling");
    case JobState::ServerKeygen: return QCoreApplication::translate("JobState", "Enrolling (server key)");
    case JobState::WritingKey: return QCoreApplication::translate("JobState", "Writing the key");
    case JobState::WritingChain: return QCoreApplication::translate("JobState", "Writing the certificate");
    case JobState::Committing: return QCoreApplication::translate("JobState", "Committing");
    case JobState::Verifying: return QCoreApplication::translate("JobState", "Verifying");
    case JobState::Recording: return QCoreApplication::translate("JobState", "Recording");
    case JobState::Passed: return QCoreApplication::translate("JobState", "PASS");
    case JobState::Failed: return QCoreApplication::translate("JobState", "FAIL");
    case JobState::Incomplete: return QCoreApplication::translate("JobState", "Incomplete");
    }
    return {};
}

} // namespace station::provisioning
