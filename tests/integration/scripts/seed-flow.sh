#!/usr/bin/env bash
# The seed documents' curl + openssl EST flow (Lamassu's guide, shared/seeds/000_*), unchanged except
# the host name and one thing: TLS verification is ON (--cacert the lab CA), never -k.
# Usage: seed-flow.sh EST_BASE_URL LAB_DIR WORK_DIR [DMS_ID]
set -euo pipefail
EST_HOST="$1"          # e.g. https://127.0.0.1:8443/.well-known/est
LAB="$2"
WORK="$3"
DMS_ID="${4:-}"
BASE="$EST_HOST${DMS_ID:+/$DMS_ID}"
TLS=(--cacert "$LAB/ca.pem")
AUTH_CERT="$LAB/bootstrap-cert.pem"
AUTH_KEY="$LAB/bootstrap-key.pem"
cd "$WORK"

echo "== cacerts"
curl -s --fail-with-body "${TLS[@]}" "$BASE/cacerts" -o cacerts.b64
base64 -d cacerts.b64 > cacerts.p7b
openssl pkcs7 -inform DER -in cacerts.p7b -print_certs -out cacerts.pem
openssl x509 -in cacerts.pem -text -noout > /dev/null
# The one-liner form of the guide too:
curl -s --fail-with-body "${TLS[@]}" "$BASE/cacerts" | base64 -d | openssl pkcs7 -inform DER -print_certs > cacerts-pipe.pem
cmp -s <(openssl x509 -in cacerts.pem -outform DER) <(openssl x509 -in cacerts-pipe.pem -outform DER)

echo "== simpleenroll (mTLS with the bootstrap certificate)"
openssl genpkey -algorithm RSA -out device.key -pkeyopt rsa_keygen_bits:2048 2>/dev/null
openssl req -new -key device.key -out device.csr -subj "/CN=device-001/O=Acme Corp"
openssl req -in device.csr -outform DER | base64 -w 0 > device.b64
curl -s --fail-with-body "${TLS[@]}" \
    --cert "$AUTH_CERT" --key "$AUTH_KEY" \
    -H "Content-Type: application/pkcs10" \
    --data-binary "@device.b64" \
    "$BASE/simpleenroll" \
    -o enroll_resp.b64
base64 -d enroll_resp.b64 > enroll_resp.p7b
openssl pkcs7 -inform DER -in enroll_resp.p7b -print_certs -out device_cert.pem
openssl verify -CAfile cacerts.pem device_cert.pem
openssl x509 -in device_cert.pem -noout -subject

echo "== simplereenroll (mTLS with the issued certificate)"
openssl req -new -key device.key -out device_re.csr -subj "/CN=device-001/O=Acme Corp"
openssl req -in device_re.csr -outform DER | base64 -w 0 > device_re.b64
curl -s --fail-with-body "${TLS[@]}" \
    --cert device_cert.pem --key device.key \
    -H "Content-Type: application/pkcs10" \
    --data-binary "@device_re.b64" \
    "$BASE/simplereenroll" \
    -o reenroll_resp.b64
base64 -d reenroll_resp.b64 | openssl pkcs7 -inform DER -print_certs -out device_re_cert.pem
openssl verify -CAfile cacerts.pem device_re_cert.pem
[ "$(openssl x509 -in device_re_cert.pem -noout -serial)" != "$(openssl x509 -in device_cert.pem -noout -serial)" ]

echo "== serverkeygen (multipart/mixed)"
curl -s --fail-with-body "${TLS[@]}" \
    --cert device_cert.pem --key device.key \
    -H "Content-Type: application/pkcs10" \
    --data-binary "@device.b64" \
    "$BASE/serverkeygen" \
    -D serverkeygen.headers -o response.mime
grep -qi '^content-type: multipart/mixed; *boundary=' serverkeygen.headers
boundary=$(sed -n 's/^[Cc]ontent-[Tt]ype: multipart\/mixed; *boundary=\([^;[:space:]]*\).*/\1/p' serverkeygen.headers | tr -d '"\r')
# Split the parts "manually", as the guide says: the base64 body of the part with the given type.
part() {
    tr -d '\r' < response.mime | awk -v b="--$boundary" -v t="$1" '
        $0 == b || $0 == b "--" { inpart = 1; hdr = 1; match_type = 0; next }
        inpart && hdr && tolower($0) ~ "^content-type: *" t { match_type = 1 }
        inpart && hdr && $0 == "" { hdr = 0; next }
        inpart && !hdr && match_type { print }'
}
part "application/pkcs8" | base64 -d > server.key.der
part "application/pkcs7-mime" | base64 -d > server_cert.p7b
openssl pkey -inform DER -in server.key.der -noout
openssl pkcs7 -inform DER -in server_cert.p7b -print_certs -out server_cert.pem
openssl verify -CAfile cacerts.pem server_cert.pem
cmp -s <(openssl pkey -inform DER -in server.key.der -pubout) <(openssl x509 -in server_cert.pem -noout -pubkey)
rm -f server.key.der

echo "== csrattrs"
curl -s --fail-with-body "${TLS[@]}" "$BASE/csrattrs" -o csrattrs.b64
base64 -d csrattrs.b64 | openssl asn1parse -inform DER > csrattrs.txt
grep -q 'prime256v1' csrattrs.txt

echo "== the guide's complete enrollment script"
KEY="device2.key"; CSR_DER="device2.csr.der"; CSR_B64="device2.csr.b64"
CA_B64="cacerts2.b64"; CA_PEM="cacerts2.pem"; RESP_B64="resp.b64"; DEV_PEM="device_final.pem"
openssl genpkey -algorithm RSA -out $KEY -pkeyopt rsa_keygen_bits:2048 2>/dev/null
openssl req -new -key $KEY -outform DER -out $CSR_DER -subj "/CN=device-XX/O=Lamassu"
base64 -w 0 $CSR_DER > $CSR_B64
curl -s "${TLS[@]}" "$BASE/cacerts" -o $CA_B64
base64 -d $CA_B64 | openssl pkcs7 -inform DER -print_certs -out $CA_PEM
curl -s "${TLS[@]}" \
    --cert "$AUTH_CERT" --key "$AUTH_KEY" \
    -H "Content-Type: application/pkcs10" \
    --data-binary "@$CSR_B64" \
    "$BASE/simpleenroll" \
    -o $RESP_B64
if [ -s "$RESP_B64" ]; then
    base64 -d $RESP_B64 | openssl pkcs7 -inform DER -print_certs -out $DEV_PEM
    openssl verify -CAfile $CA_PEM $DEV_PEM && echo "SUCCESS: Certificate Enrolled & Verified"
else
    echo "ERROR: Empty response"
    exit 1
fi
echo "SEED FLOW OK"
