// The device manager of the Lamassu stand-in: the device records, the JSON Lamassu renders them as, and
// the three calls the station makes (create, read back, patch metadata) with Lamassu's answers — 201 with
// the device; 500 for a failed validation or a duplicate id, with the "{}" body a Go error value
// marshals to; 400 {"err": ...} for a body that is not the JSON the call takes and for an unknown id on
// read. The DMS manager binds enrolled certificates to devices through bindIdentity().
#pragma once

#include "LamassuHttp.h"

#include "est/HttpMessage.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>

namespace station::testing::lamassu {

struct DeviceEvent {
    qint64 when = 0; ///< nanoseconds since the epoch (unique per device)
    QString type;    ///< CREATED, PROVISIONED, RE-PROVISIONED, RENEWED, STATUS-UPDATED
    QString description;
};

struct IdentitySlot {
    QString status = QStringLiteral("ACTIVE");
    int activeVersion = 0;
    QMap<int, QString> versions; ///< version -> certificate serial (Lamassu's "1a-2b-03" form)
    QList<DeviceEvent> events;
};

struct Device {
    QString id;
    QString status = QStringLiteral("NO_IDENTITY");
    QString icon;
    QString iconColor;
    QString dmsOwner;
    QJsonArray tags;
    QJsonObject metadata;
    qint64 created = 0;
    std::optional<IdentitySlot> identity;
    QList<DeviceEvent> events;

    /// As GET /api/devmanager/v1/devices/{id} answers it (no "identity" until one is bound).
    [[nodiscard]] QJsonObject toJson() const;
};

class DeviceStore
{
public:
    explicit DeviceStore(EventClock *clock) : m_clock(clock) {}

    struct CreateOutcome {
        est::HttpResponse response;
        bool created = false;
        bool duplicate = false;
    };
    /// POST /api/devmanager/v1/devices with this body.
    [[nodiscard]] CreateOutcome create(const QByteArray &body);
    /// The same from parsed fields (JITP registration, addDevice()); false when a required field is empty
    /// or the id exists.
    bool create(const QJsonObject &fields, bool *duplicate = nullptr);
    /// GET /api/devmanager/v1/devices/{id}.
    [[nodiscard]] est::HttpResponse read(const QString &id) const;
    /// PATCH /api/devmanager/v1/devices/{id}/metadata with {"patches": [...]} (RFC 6902 add, remove,
    /// replace, test, move, copy on the metadata object).
    [[nodiscard]] est::HttpResponse patchMetadata(const QString &id, const QByteArray &body);

    [[nodiscard]] const Device *find(const QString &id) const;
    /// Binds a newly issued certificate: the first one creates the identity slot (version 0) and makes the
    /// device ACTIVE; later ones add the next version and make it the active one.
    void bindIdentity(const QString &id, const QString &serial, const QString &eventType);
    [[nodiscard]] const QMap<QString, Device> &all() const { return m_devices; }

private:
    EventClock *m_clock;
    QMap<QString, Device> m_devices;
};

/// Applies RFC 6902 patches to `document`; false (document unchanged) when one does not apply.
[[nodiscard]] bool applyJsonPatch(QJsonObject &document, const QJsonArray &patches);

} // namespace station::testing::lamassu
