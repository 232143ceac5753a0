// The job's pure transition function, as a data table: every state x event, for the two key origins and
// the optional steps, plus the happy paths walked end to end.
#include "provisioning/JobMachine.h"

#include <QTest>

using namespace station::provisioning;

Q_DECLARE_METATYPE(JobState)
Q_DECLARE_METATYPE(JobEvent)

namespace {

const JobActions kEnter = Journal | StartTimer | RunStep;
const JobActions kFail = StopTimer | CancelPending | WipeSecrets | CloseDevice | Record;
const JobActions kGone = StopTimer | CancelPending | WipeSecrets | CloseDevice | Record;

JobPlan devicePlan()
{
    return JobPlan{true, true, true, false};
}

/// The expected transition, written independently of the implementation: the rows of the design table.
JobTransition expected(const JobPlan &plan, JobState s, JobEvent e)
{
    const bool terminal = s == JobState::Passed || s == JobState::Failed || s == JobState::Incomplete;
    if (terminal)
        return {s, NoAction};
    const bool write = s == JobState::InjectingTrust || s == JobState::InjectingBootstrap ||
                       s == JobState::WritingKey || s == JobState::WritingChain || s == JobState::Committing;
    const JobActions probe = write ? JobActions(ProbeDevice) : JobActions(NoAction);
    switch (e) {
    case JobEvent::Start:
        return s == JobState::Detected ? JobTransition{JobState::Opening, StartTimer | RunStep}
                                       : JobTransition{s, NoAction};
    case JobEvent::StepDone:
        if (s == JobState::Detected || s == JobState::AwaitingScan || s == JobState::AwaitingConfirmation)
            return {s, NoAction};
        if (s == JobState::Recording)
            return {JobState::Passed, StopTimer | WipeSecrets | CloseDevice};
        return {nextState(plan, s), StopTimer | kEnter};
    case JobEvent::StepFailed:
    case JobEvent::TimedOut:
        if (s == JobState::Detected)
            return {s, NoAction};
        return {JobState::Failed, kFail | probe};
    case JobEvent::Scanned:
        return s == JobState::AwaitingScan ? JobTransition{JobState::CheckingRecord, StopTimer | kEnter}
                                           : JobTransition{s, NoAction};
    case JobEvent::NeedsConfirmation:
        return s == JobState::CheckingRecord
                   ? JobTransition{JobState::AwaitingConfirmation, StopTimer | Journal | StartTimer}
                   : JobTransition{s, NoAction};
    case JobEvent::Confirmed:
        return s == JobState::AwaitingConfirmation
                   ? JobTransition{nextState(plan, JobState::CheckingRecord), StopTimer | kEnter}
                   : JobTransition{s, NoAction};
    case JobEvent::Unplugged: return {JobState::Incomplete, kGone};
    case JobEvent::Cancel:
        if (s == JobState::Detected)
            return {JobState::Incomplete, WipeSecrets};
        return {JobState::Incomplete, kFail | probe};
    }
    return {s, NoAction};
}

} // namespace

class TestJobMachine : public QObject
{
    Q_OBJECT
private slots:
    void transition_everyStateAndEvent_data()
    {
        QTest::addColumn<bool>("serverKeygen");
        QTest::addColumn<bool>("bootstrap");
        QTest::addColumn<JobState>("state");
        QTest::addColumn<JobEvent>("event");
        for (int variant = 0; variant < 4; ++variant) {
            const bool server = variant & 1;
            const bool bootstrap = variant & 2;
            for (int s = 0; s < kJobStateCount; ++s) {
                for (int e = 0; e < kJobEventCount; ++e) {
                    const auto state = JobState(s);
                    const auto event = JobEvent(e);
                    QTest::addRow("%s%s/%s/%s", server ? "server" : "device", bootstrap ? "+bootstrap" : "",
                                  qPrintable(jobStateName(state)), qPrintable(jobEventName(event)))
                        << server << bootstrap << state << event;
                }
            }
        }
    }
    void transition_everyStateAndEvent()
    {
        QFETCH(bool, serverKeygen);
        QFETCH(bool, bootstrap);
        QFETCH(JobState, state);
        QFETCH(JobEvent, event);
        JobPlan plan = devicePlan();
        plan.serverKeygen = serverKeygen;
        plan.injectBootstrap = bootstrap;
        const JobTransition got = transition(plan, state, event);
        const JobTransition want = expected(plan, state, event);
        QCOMPARE(jobStateName(got.next), jobStateName(want.next));
        QCOMPARE(got.actions, want.actions);
    }

    void happyPath_deviceKey_visitsEveryStepInOrder()
    {
        const QList<JobState> path = walk(devicePlan());
        QCOMPARE(path,
                 (QList<JobState>{JobState::Opening, JobState::Identifying, JobState::AwaitingScan,
                                  JobState::CheckingRecord, JobState::FetchingCsrAttrs, JobState::InjectingTrust,
                                  JobState::GeneratingKey, JobState::Enrolling, JobState::WritingChain,
                                  JobState::Committing, JobState::Verifying, JobState::Recording, JobState::Passed}));
    }

    void happyPath_serverKeyAutoStartNoCsrAttrs_skipsOptionalSteps()
    {
        const QList<JobState> path = walk(JobPlan{false, false, false, true});
        QCOMPARE(path,
                 (QList<JobState>{JobState::Opening, JobState::Identifying, JobState::CheckingRecord,
                                  JobState::ServerKeygen, JobState::WritingKey, JobState::WritingChain,
                                  JobState::Committing, JobState::Verifying, JobState::Recording, JobState::Passed}));
    }

    void happyPath_withBootstrapCredential_writesItAfterTheTrustAnchors()
    {
        JobPlan plan = devicePlan();
        plan.injectBootstrap = true;
        const QList<JobState> path = walk(plan);
        const qsizetype trust = path.indexOf(JobState::InjectingTrust);
        QVERIFY(trust >= 0);
        QCOMPARE(path.value(trust + 1), JobState::InjectingBootstrap);
        QCOMPARE(path.value(trust + 2), JobState::GeneratingKey);
    }

    void everyWorkingState_hasAFailurePathAndACancelPath()
    {
        for (int s = 0; s < kJobStateCount; ++s) {
            const auto state = JobState(s);
            if (isTerminal(state))
                continue;
            QVERIFY2(isTerminal(transition(devicePlan(), state, JobEvent::Cancel).next),
                     qPrintable(jobStateName(state)));
            QVERIFY2(isTerminal(transition(devicePlan(), state, JobEvent::Unplugged).next),
                     qPrintable(jobStateName(state)));
            if (state != JobState::Detected)
                QCOMPARE(transition(devicePlan(), state, JobEvent::TimedOut).next, JobState::Failed);
        }
    }

    void stateNames_areUniqueAndStable()
    {
        QSet<QString> names;
        for (int s = 0; s < kJobStateCount; ++s)
            names.insert(jobStateName(JobState(s)));
        QCOMPARE(names.size(), kJobStateCount);
        QCOMPARE(jobStateName(JobState::WritingChain), QStringLiteral("writing-chain"));
    }

private:
    static QList<JobState> walk(const JobPlan &plan)
    {
        QList<JobState> path;
        JobState s = JobState::Detected;
        JobTransition t = transition(plan, s, JobEvent::Start);
        for (int guard = 0; guard < 40; ++guard) {
            s = t.next;
            path.append(s);
            if (isTerminal(s))
                break;
            const JobEvent e = s == JobState::AwaitingScan ? JobEvent::Scanned : JobEvent::StepDone;
            t = transition(plan, s, e);
        }
        return path;
    }
};

QTEST_GUILESS_MAIN(TestJobMachine)
#include "tst_jobmachine.moc"
