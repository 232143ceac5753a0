// The `provctl manifest` subcommands, split by what they do: reading (ManifestCommand.cpp), exporting
// (ManifestExportCommand.cpp) and talking to the DMS (ManifestUploadCommand.cpp). Each gets the
// arguments after its name and returns the exit code.
#pragma once

#include "Error.h"
#include "manifest/Manifest.h"
#include "provisioning/ProductProfile.h"

#include <QStringList>
#include <QTextStream>

class QCommandLineParser;

namespace station::cli {

int runExport(const QStringList &args, QTextStream &out, QTextStream &err);
int runVerifyExport(const QStringList &args, QTextStream &out, QTextStream &err);
int runUpload(const QStringList &args, QTextStream &out, QTextStream &err);
int runReconcile(const QStringList &args, QTextStream &out, QTextStream &err);

/// --manifest, --since, --status, --serial, --profile, --dms-id.
void addSelectionOptions(QCommandLineParser &parser);
/// The selection of --since / --status / --serial.
[[nodiscard]] Result<manifest::ManifestQuery> selectionFrom(const QCommandLineParser &parser);
/// The profile's dms section (--profile), with --dms-id over it.
[[nodiscard]] Result<provisioning::DmsSettings> dmsSettingsFrom(const QCommandLineParser &parser);

} // namespace station::cli
