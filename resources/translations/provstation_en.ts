<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>JobState</name>
    <message>
        <source>Unit detected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Identifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking records</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor must confirm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Asking the CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing trust anchors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the bootstrap credential</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Generating the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolling (server key)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Committing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PASS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Starting the demo: lab EST server and simulated units …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The demo cannot start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Demo labels: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passphrase of the station&apos;s EST key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EST password</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SlotLook</name>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>plug in a unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ PASS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove the unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ STOPPED</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▤ Scan the unit&apos;s label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Already provisioned: a supervisor re-provisions it with F7</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit removed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::app::DemoAutopilot</name>
    <message>
        <source>the deadline passed</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::app::DemoBench</name>
    <message>
        <source>Cannot create the demo folder %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::app::DemoSetup</name>
    <message>
        <source>Cannot create a temporary folder for the demo.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::app::StationLauncher</name>
    <message>
        <source>The station cannot start with %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) still in the station: remove them before the station changes its profile.</source>
        <translation>
            <numerusform>%n unit still in the station: remove it before the station changes its profile.</numerusform>
            <numerusform>%n units still in the station: remove them before the station changes its profile.</numerusform>
        </translation>
    </message>
    <message>
        <source>The station restarted with the profile %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::provisioning</name>
    <message>
        <source>The unit was unplugged while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Plug it in again and scan it; the attempt starts over.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit stopped answering while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replug the unit (check the cable and the fixture) and scan it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit refused a command while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the unit runs the production firmware for this profile; set it aside if it repeats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection to the unit failed while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the cable and the port, replug the unit and scan it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit could not prove its identity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the unit aside for engineering; do not provision it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The scanned label does not belong to this unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the label of the unit in this slot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This unit is already provisioned (a PASS is on record).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove it; a supervisor can re-provision it if that is intended.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit&apos;s key is already on record for another unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the unit aside for engineering: its key generator is not unique.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit could not generate its key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replug and retry; set the unit aside if it repeats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit&apos;s certificate request is not valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the unit aside for engineering (firmware problem).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit&apos;s key attestation did not verify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server could not be reached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the station&apos;s network connection, then scan the unit again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server&apos;s certificate is not trusted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: the trust anchors in the profile do not match the server.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server refused the station&apos;s credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: the station&apos;s EST credential is wrong or expired.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server refused the request.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor with the details; the unit can be retried once it is fixed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server had an internal error.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the unit again; call the supervisor if it repeats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA did not issue the certificate in time (request pending).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the unit again later; call the supervisor if approvals are stuck.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server&apos;s answer could not be read.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: the EST URL may point to the wrong service.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The connection broke after the request was sent: the CA may have issued a certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set the unit aside and call the supervisor before retrying (the DMS may refuse a second enrollment).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The CA returned a certificate for a different key.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor; do not ship the unit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The returned certificate does not chain to the trusted CA.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: the EST server may be the wrong one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The returned certificate does not say what the profile requires (subject or names).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: the CA&apos;s template and the profile disagree.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>What the unit stored differs from what was written.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replug and scan the unit again; check the cable if it repeats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The unit did not confirm storing its credentials.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replug and scan the unit again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The result could not be recorded in the manifest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: the disk may be full or read-only. The unit must be provisioned again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The step took too long: %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Replug the unit and scan it again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelled while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the unit again to restart it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station is not set up for this step.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor to check the product profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station hit an internal error while %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan the unit again; report the details if it repeats.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This unit is not pre-registered in the DMS, which enrolls only units uploaded beforehand.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set it aside: the supervisor uploads the manifest to the DMS (provctl manifest upload), then scan the unit again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The DMS refuses to enroll this unit again: it exists there and replaceable enrollment is off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set it aside and call the supervisor: the DMS must allow replaceable enrollment, or the unit re-enrolls with its current certificate.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::provisioning::EstSetup</name>
    <message>
        <source>Bootstrapping trust from %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching the CA certificates from %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::provisioning::ProvisioningJob</name>
    <message>
        <source>EST server not answering; retry %1 of %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::provisioning::Station</name>
    <message numerus="yes">
        <source>%n cut-off attempt(s) from an earlier run are recorded as INCOMPLETE.</source>
        <translation>
            <numerusform>%n cut-off attempt from an earlier run is recorded as INCOMPLETE.</numerusform>
            <numerusform>%n cut-off attempts from an earlier run are recorded as INCOMPLETE.</numerusform>
        </translation>
    </message>
    <message>
        <source>The station cannot talk to the unit on %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Call the supervisor: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 in slot %2: provisioning.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 in slot %2: trying again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 in slot %2 is finished: remove it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 in slot %2 is already being provisioned; the scan is ignored.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label %1 assigned to the unit in slot %2: provisioning.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit %1 is already provisioned (PASS on record), and it is not attached.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attached unit has serial %1. Plug the unit in, then scan its label.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attached unit has serial %1 (waiting: %2). Scan the label of a unit in a slot.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No unit waits for a scan in slot %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The label names %1, but the unit in slot %2 is %3.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::provisioning::SupervisorSession</name>
    <message>
        <source>The station is still checking the previous password. Wait a moment.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No supervisor password is set yet. Restart the station to set one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wrong supervisor password. Try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station is still working on the previous password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wait a moment and try again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can change the supervisor password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock the supervisor mode first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The password is too short: use at least %1 characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station has no settings to keep the password in.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The supervisor password could not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check that the settings file is writable.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::provisioning::TrustSetup</name>
    <message>
        <source>Fetching the CA certificates for the trust setup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The EST server sent no CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the EST URL in the profile with the server&apos;s operator.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing has been fetched from the EST server yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetch the CA certificates first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::AboutBox</name>
    <message>
        <source>&lt;h3&gt;%1&lt;/h3&gt;&lt;p&gt;Version %2&lt;br&gt;Qt %3 (built with %4)&lt;/p&gt;&lt;p&gt;Factory provisioning of device identities over EST (RFC 7030).&lt;/p&gt;&lt;p&gt;Manifest: %5&lt;br&gt;Settings: %6&lt;br&gt;Log: %7&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not kept</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::DmsRunner</name>
    <message numerus="yes">
        <source>Dry run: %n unit(s) would be uploaded; nothing was sent.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1 created, %2 already present, %3 failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n unit(s) were uploaded by an earlier run.</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>FAILED %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Interrupted; upload again for the rest.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checked %1 unit(s): %2 enrolled with the manifest&apos;s certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registered but never enrolled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enrolled with another certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unknown to the DMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The DMS trust file %1 holds no certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Give the DMS token or the OIDC client secret.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::FirstStartWindow</name>
    <message>
        <source>Repeat it:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioning Station — station setup</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The supervisor session ended after a pause: enter the password again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 1 of 3 — Set the supervisor password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 1 of 3 — Supervisor password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This station has no supervisor yet. Choose the password that protects the settings, the product profile, the EST server and re-provisioning (at least %1 characters). Operators do not need it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Setting up the station is for the supervisor: enter the supervisor password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 2 of 3 — Choose the product profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The profile says which units this station provisions, which EST server issues their certificates and how the labels read. Pick one, or choose a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step 3 of 3 — Trust the EST server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ The two passwords differ. Type the same password twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the password (the station derives a slow hash of it; this takes a moment) …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the password …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the password (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The last step (RFC 7030 ੴ.1.1): the station trusts the EST server only after you confirm its CA&apos;s fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::MainWindow</name>
    <message>
        <source>Provisioning Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioning Station — starting …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F2  Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F5  Cancel slot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F6  Sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F7  Re-provision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F8  Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F9  Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioning Station — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioning Station   ·   Profile: %1   ·   EST: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manifest: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Preparing the EST connection to %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EST server ready: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Station ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station cannot start: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Station setup failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station needs the %1 to start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Station start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Enter the %1:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>turn the sound on or off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound on: a rising tone on PASS, a low double tone on FAIL.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound off.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F7 re-provisions a unit that is already provisioned: select its slot (F3 / F4) when it asks for a supervisor.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>re-provision a unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open the settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station is not running yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F4</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F11</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F11: full screen on / off</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About Provisioning Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F10  Manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan a unit&apos;s label to start it. F3 / F4 select a slot, F5 cancels the selected slot, F11 full screen, F2 closes this help. A unit shows ✓ PASS or ✕ FAIL with what to do; remove it when it is done. Supervisor: F8 password, F9 settings, F6 sound, F7 re-provision the selected unit. F10 shows the manifest.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ManifestBrowser</name>
    <message>
        <source>Manifest — every attempt, newest at the top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc or F10: back to production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>↑ ↓ PgUp PgDn: move   ·   Ctrl+Home: newest   ·   Ctrl+End: oldest   ·   Ctrl+C: copy the certificate   ·   Alt+W / Alt+R / Alt+S: filters   ·   Tab: details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manifest attempts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Back to production</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy the certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The manifest cannot be read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The manifest cannot be opened: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⋯ Searching the manifest …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 of %2 attempts in this list, newest at the top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 attempts in this list, newest at the top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attempt matches these filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attempts in the manifest yet: they appear here as units finish.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>older below (scroll down, or Ctrl+End for the oldest)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>newer above (scroll up, or Ctrl+Home for the newest)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ManifestFilterBar</name>
    <message>
        <source>&amp;When:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Result:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Serial:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Any time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since a date →</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Since date</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ PASS only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ FAIL only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ INCOMPLETE only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>type or scan a serial …</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ManifestModel</name>
    <message>
        <source>⚠ INCOMPLETE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⋯ in progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ PASS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 @ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 at &quot;%2&quot;: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Result</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Step / error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator @ station</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ManifestOutbox</name>
    <message>
        <source>Manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only rows not exported yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CSV (spreadsheet, PKI import)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON (one object per attempt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lamassu devices (DMS import)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Export …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>OIDC token URL; empty: the secret is a bearer token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>client secret or bearer token (not stored)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM file with the DMS&apos;s CA; empty: the system store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DMS &amp;gateway</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DMS &amp;id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Token service</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>C&amp;lient id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Secret</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>DMS &amp;trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dry run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Upload to the DMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reconcile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export the manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export the manifest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Exporting to %1 …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Exported %1 rows to %2 (SHA-256 %3).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>reconcile the manifest with the DMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>upload the manifest to the DMS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ Give the DMS gateway (an https URL) and the DMS id.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reading the units back from the DMS …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listing what would be uploaded …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Uploading …</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ManifestReader</name>
    <message>
        <source>The manifest is not open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Check the manifest path in the message bar.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ProfileChooser</name>
    <message>
        <source>Choose a profile file …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles found in: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profiles (*.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ %1 — does not load: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no profile in these folders: choose a file)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 does not load: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This profile does not load: %1 %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ScanField</name>
    <message>
        <source>Scan a unit&apos;s label</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>waiting for a scan …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scan field</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::ShiftPanel</name>
    <message>
        <source>SHIFT</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recent events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slot %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ✓ PASS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 ✕ FAIL: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>passed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>units/h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first-pass yield</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::SlotTile</name>
    <message>
        <source>(no port yet)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::SupervisorGate</name>
    <message>
        <source>Supervisor mode: F9 settings, F6 sound, F7 re-provision. F8 locks; it locks by itself after %1 min without a supervisor action.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor mode ended: the station is back in operator mode.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press F8 and enter the supervisor password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No supervisor password is set on this station yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Only a supervisor can %1. %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This station runs without a supervisor (a demo): there is nothing to unlock.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor (locks in %1:%2)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::SupervisorPanel</name>
    <message>
        <source>Tone on PASS and on FAIL (F6)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use this profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provisioning Station — supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F8  Lock now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Esc  Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Product profile and EST server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the product profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the EST server&apos;s trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sound</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the sound setting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>new password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>repeat it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change the password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ The supervisor password is changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TLS client certificate %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>user name and password (user %1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CA confirmed by a supervisor at setup (%1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the CA file %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bootstrap with the fingerprint written in the profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the operating system&apos;s CA store</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 — every change here counts as supervisor activity.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ The two passwords differ. Type the same password twice.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>change the supervisor password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saving the new password …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose another &amp;profile …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set up the EST &amp;trust again …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Re-provisioning: a unit that is already provisioned waits for you. Select its slot in the main window (F3 / F4) and press F7.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile: %1
File: %2
EST server: %3
Authentication: %4
Trust: %5</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::TrustPage</name>
    <message>
        <source>e.g. AB:CD:EF:… or abcdef… (64 hex digits)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or type the fingerprint you were given; the station trusts the CA only if it matches:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EST server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fetching the CA certificates from the EST server …</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CA certificate %1 of %2: %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issued by %1 · valid until %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · root (self-signed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Matches the fingerprint written in the profile.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>⚠ Does NOT match the fingerprint written in the profile (%1). Trust it only if the EST server&apos;s operator confirms this one.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not trusted yet: compare the fingerprint, then press “Trust this CA” or type it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ That is not a SHA-256 fingerprint: it needs 64 hex digits (colons and spaces are ignored).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✕ The fingerprint you typed matches none of the certificates the server sent. Nothing is trusted. Check the fingerprint with the EST server&apos;s operator: the connection may be intercepted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>✓ Trusted: %n CA certificate(s) saved to %1.</source>
        <translation>
            <numerusform>✓ Trusted: %n CA certificate saved to %1.</numerusform>
            <numerusform>✓ Trusted: %n CA certificates saved to %1.</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Trust this CA</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Check and trust</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Fetch again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The station fetched the CA certificates below without trusting them. Compare the fingerprint, group by group, with the one you got from the EST server&apos;s operator (on paper, by phone, from their portal). Trust it only if every group matches.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::UnitDetails</name>
    <message>
        <source>Copy PEM  (Ctrl+C)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select an attempt in the list to see the unit, its certificate and its evidence.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Why it did not pass</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Detail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate to revoke</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label scanned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Hardware ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device UUID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IMEI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Firmware</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Port</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Issuer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Serial number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Valid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>SHA-256 fingerprint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Alternative names</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Public key SHA-256</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attestation evidence</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Duration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Operator @ station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Profile</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EST server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Attempt ID</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Manifest row</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No attempt selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1   %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(no serial)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Running</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  to  %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>   ⚠ expired</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>   ⚠ not valid yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
⚠ the stored PEM cannot be read</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
⚠ does not match the stored PEM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 @ %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1  (SHA-256 %2…)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1, generated by the %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>unit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (chain position %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (open: not sealed yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>This attempt has no certificate to copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Certificate of %1 copied (PEM).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>station::ui::UnlockDialog</name>
    <message>
        <source>Supervisor</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Supervisor password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Settings, the product profile, the EST server and re-provisioning are for the supervisor. Enter the password set at the station&apos;s first start.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Unlock (Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking the password …</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
