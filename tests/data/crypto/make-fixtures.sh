#!/bin/sh
# Regenerates the crypto test fixtures with the openssl command line tool (the independent reference
# the known-answer tests compare against). The committed files are what the tests use; after running
# this, update the expected values in tests/unit/tst_*.cpp from `openssl ... -noout -serial -fingerprint`.
set -eu
cd "$(dirname "$0")"
PASS8=fixture-pass
PASS12=p12-secret

# Keys in each format the station imports.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out rsa2048-pkcs8.pem
openssl pkey -in rsa2048-pkcs8.pem -traditional -out rsa2048-traditional.pem
openssl pkey -in rsa2048-pkcs8.pem -traditional -aes256 -passout pass:$PASS8 -out rsa2048-traditional-encrypted.pem
openssl ecparam -name prime256v1 -genkey -noout -out p256-traditional.pem
openssl pkcs8 -topk8 -nocrypt -in p256-traditional.pem -outform DER -out p256-pkcs8.der
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out p384-pkcs8.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:$PASS8 -in p384-pkcs8.pem -out p384-encrypted.pem
openssl pkcs8 -topk8 -v2 aes-256-cbc -passout pass:$PASS8 -in p384-pkcs8.pem -outform DER -out p384-encrypted.der
openssl genpkey -algorithm ED25519 -out ed25519-pkcs8.pem
openssl pkey -in p384-pkcs8.pem -pubout -outform DER -out p384-public.der

# A small chain: root (P-256) -> intermediate (P-256) -> leaf (P-384 key above).
cat > ext.cnf <<'CNF'
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[intermediate]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:device-001.example.com, IP:10.0.0.1, URI:urn:dev:ops:acme-device-001
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leafreq]
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectAltName = DNS:device-001.example.com, IP:10.0.0.1, URI:urn:dev:ops:acme-device-001
[req]
distinguished_name = dn
attributes = attrs
prompt = no
[dn]
CN = device-001
O = Acme Corp
[attrs]
challengePassword = est-passcode-123
CNF
openssl ecparam -name prime256v1 -genkey -noout -out root-key.pem
openssl ecparam -name prime256v1 -genkey -noout -out intermediate-key.pem
openssl req -new -x509 -key root-key.pem -subj "/CN=Fixture Root CA/O=Station Tests" -days 7300 \
    -set_serial 0x01 -extensions root -config ext.cnf -out root.pem
openssl req -new -key intermediate-key.pem -subj "/CN=Fixture Issuing CA/O=Station Tests" -out intermediate.csr
openssl x509 -req -in intermediate.csr -CA root.pem -CAkey root-key.pem -set_serial 0x1002 -days 7000 \
    -extfile ext.cnf -extensions intermediate -out intermediate.pem
openssl req -new -key p384-pkcs8.pem -config ext.cnf -reqexts leafreq -sha384 -out leaf.csr.pem
openssl req -in leaf.csr.pem -outform DER -out leaf.csr.der
openssl x509 -req -in leaf.csr.pem -CA intermediate.pem -CAkey intermediate-key.pem \
    -set_serial 0x7ab1c2d3e4f5061728394a5b6c7d8e9f -days 3650 -extfile ext.cnf -extensions leaf -out leaf.pem
openssl x509 -in leaf.pem -outform DER -out leaf.der
cat leaf.pem intermediate.pem root.pem > chain.pem
# certs-only PKCS#7 with the certificates in a scrambled order (root, leaf, intermediate).
cat root.pem leaf.pem intermediate.pem > scrambled.pem
openssl crl2pkcs7 -nocrl -certfile scrambled.pem -outform DER -out scrambled.p7b
openssl crl2pkcs7 -nocrl -certfile scrambled.pem -outform PEM -out scrambled.p7b.pem
# PKCS#12 with the leaf key, the leaf and the CA certificates (OpenSSL 3 defaults: AES-256, PBKDF2).
openssl pkcs12 -export -inkey p384-pkcs8.pem -in leaf.pem -certfile intermediate.pem -name "device-001" \
    -passout pass:$PASS12 -out leaf.p12
rm -f intermediate.csr scrambled.pem
