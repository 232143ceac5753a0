// A unit that speaks the station protocol (PROTOCOL.md), on a pseudo-terminal: the reference device
// side of the protocol, and the fixture every test of StationDriver runs against.
//
// Storage layout in the state directory, per slot N: slot-N/trust-anchors.pem, certificate-chain.pem,
// private-key.pem (written by the station), device-key.pem and csr.pem (generated on the device).
// Writes are staged in RAM until COMMIT, as the protocol specifies; a power cycle (unplug) drops them.
#pragma once

#include "SimulatedDevice.h"
#include "SimulatedIdentity.h"
#include "station/FrameParser.h"
#include "station/StationProtocol.h"
#include "station/Tlv.h"

#include <QMap>

namespace station::drivers {

class StationSimulator : public SimulatedDevice
{
    Q_OBJECT
public:
    explicit StationSimulator(SimulatorOptions options, QObject *parent = nullptr);

    [[nodiscard]] QString protocolName() const override { return QStringLiteral("station"); }
    [[nodiscard]] const SimulatedIdentity &identity() const { return m_identity; }
    /// Frames that arrived damaged (each answered with a NAK).
    [[nodiscard]] int damagedFrames() const { return m_damaged; }
    /// Requests recognised as retransmissions and answered from the cache.
    [[nodiscard]] int duplicateRequests() const { return m_duplicates; }
    /// Requests answered UNKNOWN_COMMAND (a 1.0 unit asked for 1.1 commands, for instance).
    [[nodiscard]] int unknownCommands() const { return m_unknownCommands; }
    /// The frame size SET_FRAME_SIZE set (0: none since HELLO, the 1.0 rules apply).
    [[nodiscard]] int frameSize() const { return m_frameSize; }
    /// FRAGMENT answers sent.
    [[nodiscard]] int fragmentsSent() const { return m_fragments; }
    /// The longest request payload that arrived while a frame size was in force (the station keeps to it).
    [[nodiscard]] int largestRequestInFrameSize() const { return m_largestRequestInFrameSize; }

protected:
    void onReceived(const QByteArray &bytes) override;
    void onPowerOn() override;
    [[nodiscard]] QList<QByteArray> bootLog() const override;
    [[nodiscard]] Result<void> loadIdentity() override;

private:
    struct Reply {
        proto::Status status = proto::Status::Ok;
        Tlv tlv;
    };
    struct Transfer {
        bool active = false;
        int slot = 0;
        proto::ObjectId object = proto::ObjectId::TrustAnchors;
        qint64 length = 0;
        QByteArray sha256;
        QByteArray data;
    };
    struct Object {
        QByteArray der;
        bool committed = false;
    };

    void onRequest(quint8 seq, const QByteArray &payload);
    /// SET_FRAME_SIZE and CONTINUE (1.1): answered at once, never remembered as the last request.
    void onLinkCommand(quint8 seq, proto::Command command, const QByteArray &payload);
    void respond(quint8 seq, const QByteArray &request, const Reply &reply);
    /// Sends an answer payload (status byte first) at the current frame size: whole, or its first FRAGMENT.
    void sendAnswer(quint8 seq, const QByteArray &answer, qsizetype offset = 0);
    [[nodiscard]] int deviceMaxPayload() const;
    void sendStatus(quint8 seq, proto::Status status);
    [[nodiscard]] Reply execute(proto::Command command, const Tlv &args);
    [[nodiscard]] Reply hello(const Tlv &args);
    [[nodiscard]] Reply identify(const Tlv &args) const;
    [[nodiscard]] Reply keyGen(const Tlv &args);
    [[nodiscard]] Reply writeBegin(const Tlv &args);
    [[nodiscard]] Reply writeChunk(const Tlv &args);
    [[nodiscard]] Reply writeEnd(const Tlv &args);
    [[nodiscard]] Reply read(const Tlv &args) const;
    [[nodiscard]] Reply status(const Tlv &args) const;
    [[nodiscard]] Reply commit(const Tlv &args);
    [[nodiscard]] Reply resetSlot(const Tlv &args);
    [[nodiscard]] static Reply error(proto::Status status, const QString &message);
    [[nodiscard]] static QString stepOf(proto::Command command, const Tlv &args);

    /// The current content of an object: staged if there is a staged one, else committed.
    [[nodiscard]] std::optional<Object> object(int slot, proto::ObjectId id) const;
    [[nodiscard]] QString fileOf(int slot, proto::ObjectId id) const;

    SimulatedIdentity m_identity;
    FrameParser m_parser;
    bool m_helloDone = false;
    quint8 m_lastSeq = 0;
    QByteArray m_lastRequest;
    QByteArray m_lastAnswer; ///< the payload (status and TLVs): a retransmission is cut to the current frame size
    int m_frameSize = 0;
    bool m_inFlight = false;
    quint8 m_inFlightSeq = 0;
    QByteArray m_inFlightRequest;
    Transfer m_transfer;
    QMap<QPair<int, proto::ObjectId>, QByteArray> m_staged;
    QMap<int, bool> m_stagedGenerated; ///< the staged private key was generated here (KEYGEN)
    int m_damaged = 0;
    int m_duplicates = 0;
    int m_unknownCommands = 0;
    int m_fragments = 0;
    int m_largestRequestInFrameSize = 0;
};

} // namespace station::drivers
