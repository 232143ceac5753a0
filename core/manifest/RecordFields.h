// The fields of a manifest row as they leave the station, in one fixed order with stable names: the
// CSV header, the keys of the JSON export and of `provctl manifest show`. One list, so every format
// names a field the same way.
#pragma once

#include "ManifestRecord.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace station::manifest {

struct RecordField {
    enum class Kind { Text, Number, Json }; ///< how JSON carries it (CSV always writes the text)
    const char *name;
    Kind kind;
    QString (*text)(const ManifestRecord &);
};

/// Every exported field, in export order.
[[nodiscard]] const QList<RecordField> &recordFields();

/// The record as a JSON object with recordFields()' names (numbers as numbers, evidence as an object).
[[nodiscard]] QJsonObject recordToJson(const ManifestRecord &record);

} // namespace station::manifest
