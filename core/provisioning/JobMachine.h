// The per-unit provisioning job as an explicit state machine: the states a unit passes through, the
// events that move it, and a pure transition function (state, event) -> (state, actions) that the data
// table test covers for every state x event. ProvisioningJob executes the actions; nothing here does I/O.
//
//   Detected -> Opening -> Identifying -> [AwaitingScan] -> CheckingRecord -> [AwaitingConfirmation]
//     -> [FetchingCsrAttrs] -> [InjectingTrust] -> [InjectingBootstrap]
//     -> GeneratingKey -> Enrolling                                                     (key on the device)
//     -> ServerKeygen -> WritingKey                                                    (key from the server)
//     -> WritingChain -> Committing -> Verifying -> Recording -> Passed
//   any working state: Failed on a failure or timeout, Incomplete on unplug or cancel.
#pragma once

#include <QString>

#include <cstdint>

namespace station::provisioning {

enum class JobState : std::uint8_t {
    Detected,
    Opening,
    Identifying,
    AwaitingScan,
    CheckingRecord,
    AwaitingConfirmation,
    FetchingCsrAttrs,
    InjectingTrust,
    InjectingBootstrap,
    GeneratingKey,
    Enrolling,
    ServerKeygen,
    WritingKey,
    WritingChain,
    Committing,
    Verifying,
    Recording,
    Passed,
    Failed,
    Incomplete,
};
inline constexpr int kJobStateCount = int(JobState::Incomplete) + 1;

enum class JobEvent : std::uint8_t {
    Start,             ///< the job was created for an attached unit
    StepDone,          ///< the current state's operation succeeded
    StepFailed,        ///< it failed (the job carries the failure)
    TimedOut,          ///< the current state's deadline passed
    Scanned,           ///< a scan that matches this unit arrived
    NeedsConfirmation, ///< the unit is already provisioned and the policy asks a supervisor
    Confirmed,         ///< the supervisor confirmed re-provisioning
    Unplugged,         ///< the unit disappeared
    Cancel,            ///< the operator (or shutdown) cancelled
};
inline constexpr int kJobEventCount = int(JobEvent::Cancel) + 1;

/// What to do on a transition; the executor runs them in this order.
enum JobAction : unsigned {
    NoAction = 0,
    CancelPending = 1u << 0, ///< abort the device or EST operation in flight
    StopTimer = 1u << 1,
    Journal = 1u << 2,     ///< write the reached step to the manifest row
    StartTimer = 1u << 3,  ///< arm the new state's deadline (if it has one)
    RunStep = 1u << 4,     ///< start the new state's operation
    WipeSecrets = 1u << 5, ///< wipe any private key the job holds
    CloseDevice = 1u << 6,
    Record = 1u << 7,      ///< seal the manifest row with the job's outcome (FAIL / INCOMPLETE)
    ProbeDevice = 1u << 8, ///< read back what the unit holds before recording (after an interrupted write)
};
using JobActions = unsigned;

/// The decisions of the product profile that shape the path through the states.
struct JobPlan {
    bool needsScan = true;
    bool fetchCsrAttrs = true;
    bool injectTrust = true;
    bool serverKeygen = false;
    bool injectBootstrap = false;
};

struct JobTransition {
    JobState next;
    JobActions actions = NoAction;
    bool operator==(const JobTransition &) const = default;
};

[[nodiscard]] JobTransition transition(const JobPlan &plan, JobState state, JobEvent event);

/// The state after `state` succeeds, for this plan.
[[nodiscard]] JobState nextState(const JobPlan &plan, JobState state);

[[nodiscard]] bool isTerminal(JobState state);
/// States whose operation talks to the device (an unplug or timeout there is the device's).
[[nodiscard]] bool isDeviceState(JobState state);
[[nodiscard]] bool isEstState(JobState state);
/// States that write credentials to the unit (an interruption may leave some written).
[[nodiscard]] bool isWriteState(JobState state);

/// Stable names for logs, the manifest's step column and tests ("opening", "writing-chain", ...).
[[nodiscard]] QString jobStateName(JobState state);
[[nodiscard]] QString jobEventName(JobEvent event);
/// What the operator sees on the tile for a working state ("Writing the certificate").
[[nodiscard]] QString jobStateLabel(JobState state);

} // namespace station::provisioning
