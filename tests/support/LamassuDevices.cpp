#include "LamassuDevices.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace station::testing::lamassu {

namespace {

QJsonObject eventsJson(const QList<DeviceEvent> &events)
{
    QJsonObject out;
    for (const DeviceEvent &e : events)
        out.insert(goTime(e.when),
                   QJsonObject{{QStringLiteral("type"), e.type}, {QStringLiteral("description"), e.description}});
    return out;
}

/// Go's name for the kind of a JSON value in its "cannot unmarshal" errors.
QString goKind(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool: return QStringLiteral("bool");
    case QJsonValue::Double: return QStringLiteral("number");
    case QJsonValue::String: return QStringLiteral("string");
    case QJsonValue::Array: return QStringLiteral("array");
    case QJsonValue::Object: return QStringLiteral("object");
    default: return QStringLiteral("null");
    }
}

QString unmarshalError(const QJsonValue &v, const QString &type, const QString &field, const QString &goType)
{
    return QStringLiteral("json: cannot unmarshal %1 into Go struct field %2.%3 of type %4")
        .arg(goKind(v), type, field, goType);
}

/// Decodes a JSON request body as Go's encoding/json does into a struct: null fields stay empty, unknown
/// fields are ignored, a value of the wrong kind is an error. `strings`, `stringLists` and `objects` name
/// the struct's fields by kind. Returns the error text (empty on success).
QString decodeStruct(const QByteArray &body, const QString &goType, const QStringList &strings,
                     const QStringList &stringLists, const QStringList &objects, const QStringList &arrays,
                     QJsonObject *out)
{
    if (body.trimmed().isEmpty())
        return QStringLiteral("EOF");
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return QStringLiteral("invalid JSON at offset %1: %2").arg(error.offset).arg(error.errorString());
    if (doc.isArray())
        return QStringLiteral("json: cannot unmarshal array into Go value of type %1").arg(goType);
    if (doc.isNull() && !doc.isObject())
        return {}; // JSON null: the struct stays empty
    const QJsonObject object = doc.object();
    for (auto it = object.begin(); it != object.end(); ++it) {
        const QString &key = it.key();
        const QJsonValue v = it.value();
        const QString field = goType.section(QLatin1Char('.'), -1);
        if (v.isNull())
            continue;
        if (strings.contains(key) && !v.isString())
            return unmarshalError(v, field, key, QStringLiteral("string"));
        if (stringLists.contains(key)) {
            if (!v.isArray())
                return unmarshalError(v, field, key, QStringLiteral("[]string"));
            for (const QJsonValue &item : v.toArray()) {
                if (!item.isString() && !item.isNull())
                    return unmarshalError(item, field, key, QStringLiteral("string"));
            }
        }
        if (objects.contains(key) && !v.isObject())
            return unmarshalError(v, field, key, QStringLiteral("map[string]interface {}"));
        if (arrays.contains(key) && !v.isArray())
            return unmarshalError(v, field, key, QStringLiteral("[]models.PatchOperation"));
        out->insert(key, v);
    }
    return {};
}

bool parseIndex(const QString &token, qsizetype size, bool allowEnd, qsizetype *index)
{
    if (token == QLatin1String("-")) {
        *index = size;
        return allowEnd;
    }
    if (token.isEmpty() || (token.size() > 1 && token.startsWith(QLatin1Char('0'))))
        return false;
    bool ok = false;
    const qlonglong n = token.toLongLong(&ok);
    if (!ok || n < 0)
        return false;
    *index = qsizetype(n);
    return allowEnd ? *index <= size : *index < size;
}

enum class Edit { Add, Remove };

/// Adds `value` at, or removes what is at, `tokens[i...]` under `node` (RFC 6901 pointer tokens).
bool edit(QJsonValue &node, const QStringList &tokens, qsizetype i, Edit op, const QJsonValue &value)
{
    const QString &key = tokens[i];
    const bool last = i == tokens.size() - 1;
    if (node.isObject()) {
        QJsonObject object = node.toObject();
        if (last && op == Edit::Add) {
            object.insert(key, value);
        } else if (!object.contains(key)) {
            return false;
        } else if (last) {
            object.remove(key);
        } else {
            QJsonValue child = object.value(key);
            if (!edit(child, tokens, i + 1, op, value))
                return false;
            object.insert(key, child);
        }
        node = object;
        return true;
    }
    if (node.isArray()) {
        QJsonArray array = node.toArray();
        qsizetype index = 0;
        if (!parseIndex(key, array.size(), last && op == Edit::Add, &index))
            return false;
        if (last && op == Edit::Add) {
            array.insert(index, value);
        } else if (last) {
            array.removeAt(index);
        } else {
            QJsonValue child = array.at(index);
            if (!edit(child, tokens, i + 1, op, value))
                return false;
            array.replace(index, child);
        }
        node = array;
        return true;
    }
    return false;
}

bool lookup(const QJsonValue &root, const QStringList &tokens, QJsonValue *out)
{
    QJsonValue node = root;
    for (const QString &token : tokens) {
        if (node.isObject()) {
            const QJsonObject object = node.toObject();
            if (!object.contains(token))
                return false;
            node = object.value(token);
        } else if (node.isArray()) {
            const QJsonArray array = node.toArray();
            qsizetype index = 0;
            if (!parseIndex(token, array.size(), false, &index))
                return false;
            node = array.at(index);
        } else {
            return false;
        }
    }
    *out = node;
    return true;
}

/// RFC 6901: "" is the whole document, "/a/b~1c" is {"a", "b/c"}.
bool pointerTokens(const QString &pointer, QStringList *tokens)
{
    tokens->clear();
    if (pointer.isEmpty())
        return true;
    if (!pointer.startsWith(QLatin1Char('/')))
        return false;
    for (QString token : pointer.mid(1).split(QLatin1Char('/'))) {
        token.replace(QLatin1String("~1"), QLatin1String("/"));
        token.replace(QLatin1String("~0"), QLatin1String("~"));
        tokens->append(token);
    }
    return true;
}

bool applyOne(QJsonValue &doc, const QJsonObject &patch)
{
    const QString op = patch.value(QStringLiteral("op")).toString();
    QStringList path;
    if (!pointerTokens(patch.value(QStringLiteral("path")).toString(), &path))
        return false;
    const QJsonValue value = patch.value(QStringLiteral("value"));
    auto add = [&](const QStringList &at, const QJsonValue &v) {
        if (at.isEmpty()) {
            doc = v;
            return true;
        }
        return edit(doc, at, 0, Edit::Add, v);
    };
    auto remove = [&](const QStringList &at) { return !at.isEmpty() && edit(doc, at, 0, Edit::Remove, {}); };
    if (op == QLatin1String("add"))
        return patch.contains(QStringLiteral("value")) && add(path, value);
    if (op == QLatin1String("remove"))
        return remove(path);
    if (op == QLatin1String("replace")) {
        QJsonValue old;
        if (!patch.contains(QStringLiteral("value")) || !lookup(doc, path, &old))
            return false;
        if (path.isEmpty()) {
            doc = value;
            return true;
        }
        // An array element is replaced in place: remove it, then insert at the same index.
        return remove(path) && add(path, value);
    }
    if (op == QLatin1String("test")) {
        QJsonValue current;
        return lookup(doc, path, &current) && current == value;
    }
    if (op == QLatin1String("move") || op == QLatin1String("copy")) {
        QStringList from;
        QJsonValue moved;
        if (!pointerTokens(patch.value(QStringLiteral("from")).toString(), &from) || !lookup(doc, from, &moved))
            return false;
        if (op == QLatin1String("move") && !remove(from))
            return false;
        return add(path, moved);
    }
    return false;
}

} // namespace

bool applyJsonPatch(QJsonObject &document, const QJsonArray &patches)
{
    QJsonValue doc(document);
    for (const QJsonValue &patch : patches) {
        if (!patch.isObject() || !applyOne(doc, patch.toObject()))
            return false;
    }
    if (!doc.isObject() && !doc.isNull())
        return false; // the metadata must stay a map
    document = doc.toObject();
    return true;
}

QJsonObject Device::toJson() const
{
    // Field for field models.Device; "identity" is omitted while the device has none (omitempty).
    QJsonObject json{{QStringLiteral("id"), id},
                     {QStringLiteral("tags"), tags},
                     {QStringLiteral("status"), status},
                     {QStringLiteral("icon"), icon},
                     {QStringLiteral("icon_color"), iconColor},
                     {QStringLiteral("creation_timestamp"), goTime(created)},
                     {QStringLiteral("metadata"), metadata},
                     {QStringLiteral("dms_owner"), dmsOwner},
                     {QStringLiteral("slots"), QJsonObject{}},
                     {QStringLiteral("events"), eventsJson(events)}};
    if (identity) {
        QJsonObject versions;
        for (auto it = identity->versions.constBegin(); it != identity->versions.constEnd(); ++it)
            versions.insert(QString::number(it.key()), it.value());
        json.insert(QStringLiteral("identity"), QJsonObject{{QStringLiteral("status"), identity->status},
                                                            {QStringLiteral("active_version"), identity->activeVersion},
                                                            {QStringLiteral("type"), QStringLiteral("x509")},
                                                            {QStringLiteral("versions"), versions},
                                                            {QStringLiteral("events"), eventsJson(identity->events)}});
    }
    return json;
}

DeviceStore::CreateOutcome DeviceStore::create(const QByteArray &body)
{
    // Binding the body (resources.CreateDeviceBody) fails only on JSON that is not that struct: 400. The
    // service's validation of the required fields and the storage's duplicate key come back as a Go error
    // value: 500 "{}".
    QJsonObject fields;
    const QString bindError = decodeStruct(body, QStringLiteral("resources.CreateDeviceBody"),
                                           {QStringLiteral("id"), QStringLiteral("alias"), QStringLiteral("dms_id"),
                                            QStringLiteral("icon"), QStringLiteral("icon_color")},
                                           {QStringLiteral("tags")}, {QStringLiteral("metadata")}, {}, &fields);
    if (!bindError.isEmpty())
        return {ginError(400, bindError), false, false};
    bool duplicate = false;
    if (!create(fields, &duplicate))
        return {ginOpaqueError(500), false, duplicate};
    return {ginJson(201, m_devices.value(fields.value(QStringLiteral("id")).toString()).toJson()), true, false};
}

bool DeviceStore::create(const QJsonObject &fields, bool *duplicate)
{
    Device device;
    device.id = fields.value(QStringLiteral("id")).toString();
    device.dmsOwner = fields.value(QStringLiteral("dms_id")).toString();
    device.icon = fields.value(QStringLiteral("icon")).toString();
    device.iconColor = fields.value(QStringLiteral("icon_color")).toString();
    if (device.id.isEmpty() || device.dmsOwner.isEmpty() || device.icon.isEmpty() || device.iconColor.isEmpty())
        return false; // "struct validation error"
    if (m_devices.contains(device.id)) {
        if (duplicate)
            *duplicate = true;
        return false;
    }
    for (const QJsonValue &tag : fields.value(QStringLiteral("tags")).toArray())
        device.tags.append(tag.toString()); // a null element unmarshals to ""
    device.metadata = fields.value(QStringLiteral("metadata")).toObject();
    device.created = m_clock->next();
    device.events.append({device.created, QStringLiteral("CREATED"), {}});
    m_devices.insert(device.id, device);
    return true;
}

est::HttpResponse DeviceStore::read(const QString &id) const
{
    const Device *device = find(id);
    return device ? ginJson(200, device->toJson()) : ginError(400, QStringLiteral("device not found"));
}

est::HttpResponse DeviceStore::patchMetadata(const QString &id, const QByteArray &body)
{
    QJsonObject fields;
    const QString bindError = decodeStruct(body, QStringLiteral("resources.UpdateDeviceMetadataBody"), {}, {}, {},
                                           {QStringLiteral("patches")}, &fields);
    if (!bindError.isEmpty())
        return ginError(400, bindError);
    auto it = m_devices.find(id);
    if (it == m_devices.end())
        return ginOpaqueError(500); // errs.ErrDeviceNotFound through ctx.JSON(500, err)
    QJsonObject metadata = it->metadata;
    if (!applyJsonPatch(metadata, fields.value(QStringLiteral("patches")).toArray()))
        return ginOpaqueError(500);
    it->metadata = metadata;
    return ginJson(200, it->toJson());
}

const Device *DeviceStore::find(const QString &id) const
{
    const auto it = m_devices.constFind(id);
    return it == m_devices.constEnd() ? nullptr : &*it;
}

void DeviceStore::bindIdentity(const QString &id, const QString &serial, const QString &eventType)
{
    auto it = m_devices.find(id);
    if (it == m_devices.end())
        return;
    if (!it->identity) {
        IdentitySlot slot;
        slot.versions.insert(0, serial);
        slot.events.append({m_clock->next(), QStringLiteral("PROVISIONED"), {}});
        it->identity = slot;
    } else {
        IdentitySlot &slot = *it->identity;
        slot.activeVersion += 1;
        slot.status = QStringLiteral("ACTIVE");
        slot.versions.insert(slot.activeVersion, serial);
        slot.events.append(
            {m_clock->next(), eventType, QStringLiteral("New Active Version set to %1").arg(slot.activeVersion)});
    }
    if (it->status != QLatin1String("ACTIVE")) {
        it->events.append({m_clock->next(), QStringLiteral("STATUS-UPDATED"),
                           QStringLiteral("Status updated from '%1' to 'ACTIVE'").arg(it->status)});
        it->status = QStringLiteral("ACTIVE");
    }
}

} // namespace station::testing::lamassu
