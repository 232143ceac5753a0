#include "SlotWriter.h"

#include <QPointer>

namespace station::provisioning {

SlotWriter::SlotWriter(device::DeviceDriver *driver, qint64 slot, QObject *parent)
    : QObject(parent), m_driver(driver), m_slot(slot), m_mainSlot(driver->slot())
{}

SlotWriter::~SlotWriter()
{
    if (m_key)
        m_key->clear();
    if (m_active)
        m_driver->setSlot(m_mainSlot);
}

template <typename T> device::DeviceDriver::Done<T> SlotWriter::next(std::function<void(Result<T>)> f)
{
    QPointer<SlotWriter> self(this);
    return [self, f = std::move(f)](Result<T> r) {
        if (self && self->m_active)
            f(std::move(r));
    };
}

void SlotWriter::write(crypto::SecretBytes key, QList<crypto::Certificate> chain, Done done)
{
    m_key = std::make_shared<crypto::SecretBytes>(std::move(key));
    m_chain = std::move(chain);
    m_done = std::move(done);
    m_keyDigest = m_driver->storedKeyDigest(*m_key);
    m_chainDigest = m_driver->storedDigest(device::CredentialKind::CertificateChain, m_chain);
    m_active = true;
    m_driver->setSlot(m_slot);
    auto held = m_key; // the driver reads it until the write completes
    m_driver->writePrivateKey(*m_key, next<void>([this, held](Result<void> r) {
        held->clear();
        if (!r)
            return failed(r.error());
        writeChain();
    }));
}

void SlotWriter::writeChain()
{
    m_driver->writeCertificateChain(m_chain, next<void>([this](Result<void> r) {
                                        if (!r)
                                            return failed(r.error());
                                        commit();
                                    }));
}

void SlotWriter::commit()
{
    m_driver->commit(next<void>([this](Result<void> r) {
        if (!r)
            return failed(r.error());
        readBack();
    }));
}

void SlotWriter::readBack()
{
    m_driver->readBack(device::ReadBackDepth::Digests,
                       next<device::StoredCredentials>([this](Result<device::StoredCredentials> r) {
                           if (!r)
                               return failed(r.error());
                           finish(checkReadBack(*r, {{device::CredentialKind::PrivateKey, m_keyDigest},
                                                     {device::CredentialKind::CertificateChain, m_chainDigest}}));
                       }));
}

void SlotWriter::failed(const Error &error)
{
    finish(ReadBackProblem{classifyFailure(JobState::InjectingBootstrap, error), error});
}

void SlotWriter::finish(std::optional<ReadBackProblem> problem)
{
    m_active = false;
    m_key->clear();
    m_driver->setSlot(m_mainSlot);
    if (problem)
        problem->error = problem->error.withContext(QStringLiteral("Bootstrap credential (slot %1)").arg(m_slot));
    if (auto done = std::exchange(m_done, nullptr))
        done(std::move(problem));
}

} // namespace station::provisioning
