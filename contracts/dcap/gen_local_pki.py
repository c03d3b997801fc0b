#!/usr/bin/env python3
"""Generates tests/vectors/local/: a throw-away PKI shaped like Intel's (root CA, PCK platform
CA, PCK leaf with the SGX extension, TCB signing cert, two CRLs), a TDX quote v4 signed through
it whose report_data binds a worker key and whose RTMR3 is the replay of a dstack 0.5.x runtime
event log (compose-hash = sha256 of app_compose.json; a second quote, _b, is another instance of
the same app: another worker key and instance-id), and the matching collateral (TCB info, QE identity, signatures) in dcap-qvl's JSON shape.

The real Intel sample quote cannot test register_worker_key's happy path (its report_data is
not key || 0^32), so the contract tests use this one with `root_ca_der_hex` set at init.
Run once; the outputs are committed (ECDSA signatures are randomized, so a re-run changes the
bytes but not the meaning). Needs Python `cryptography`.
"""
import datetime, hashlib, json, os, struct

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import NameOID

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests", "vectors", "local")
UTC = datetime.timezone.utc

def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        ln = bytes([n])
    elif n < 0x100:
        ln = bytes([0x81, n])
    else:
        ln = bytes([0x82, n >> 8, n & 0xff])
    return bytes([tag]) + ln + body

def oid(dotted):
    parts = [int(p) for p in dotted.split(".")]
    body = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7f]
        p >>= 7
        while p:
            enc.append(0x80 | (p & 0x7f))
            p >>= 7
        body += bytes(reversed(enc))
    return tlv(0x06, body)

def integer(v):
    b = v.to_bytes((v.bit_length() + 8) // 8 or 1, "big")
    return tlv(0x02, b)

SGX = "1.2.840.113741.1.13.1"
CPU_SVN = bytes([3, 3, 2, 2, 2, 1, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0])
PCE_SVN = 11
FMSPC = bytes.fromhex("00906ed50000")
PCE_ID = bytes.fromhex("0000")

def sgx_extension():
    comps = b"".join(tlv(0x30, oid(f"{SGX}.2.{i + 1}") + integer(CPU_SVN[i])) for i in range(16))
    tcb = comps + tlv(0x30, oid(f"{SGX}.2.17") + integer(PCE_SVN)) + tlv(0x30, oid(f"{SGX}.2.18") + tlv(0x04, CPU_SVN))
    items = [
        tlv(0x30, oid(f"{SGX}.1") + tlv(0x04, bytes(range(16)))),
        tlv(0x30, oid(f"{SGX}.2") + tlv(0x30, tcb)),
        tlv(0x30, oid(f"{SGX}.3") + tlv(0x04, PCE_ID)),
        tlv(0x30, oid(f"{SGX}.4") + tlv(0x04, FMSPC)),
        tlv(0x30, oid(f"{SGX}.5") + tlv(0x0a, b"\x00")),
    ]
    return tlv(0x30, b"".join(items))

def name(cn):
    # Verifiers accept only Intel's TCB signing certificate as signer of TCB info and QE identity,
    # and recognise it by its subject: that one carries the real certificate's subject.
    if cn == "Intel SGX TCB Signing":
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Intel Corporation"),
                          x509.NameAttribute(NameOID.LOCALITY_NAME, "Santa Clara"), x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "CA"),
                          x509.NameAttribute(NameOID.COUNTRY_NAME, "US")])
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn), x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Local Test PKI")])

NB = datetime.datetime(2025, 1, 1, tzinfo=UTC)
NA = datetime.datetime(2035, 1, 1, tzinfo=UTC)

def cert(subject, issuer, pub, signer, ca, serial, extra=None):
    b = (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer)).public_key(pub)
         .serial_number(serial).not_valid_before(NB).not_valid_after(NA)
         .add_extension(x509.BasicConstraints(ca=ca, path_length=None if ca else None), critical=True))
    if extra is not None:
        b = b.add_extension(x509.UnrecognizedExtension(x509.ObjectIdentifier(SGX), extra), critical=False)
    return b.sign(signer, hashes.SHA256())

def raw_sig(key, data):
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")

def pem(c):
    return c.public_bytes(serialization.Encoding.PEM).decode()

def crl(issuer_cn, key, revoked_serials):
    b = (x509.CertificateRevocationListBuilder().issuer_name(name(issuer_cn))
         .last_update(datetime.datetime(2026, 1, 1, tzinfo=UTC)).next_update(datetime.datetime(2026, 3, 1, tzinfo=UTC)))
    for s in revoked_serials:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(s)
                                      .revocation_date(datetime.datetime(2026, 1, 1, tzinfo=UTC)).build())
    return b.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER).hex()

def main():
    os.makedirs(OUT, exist_ok=True)
    root_k, plat_k, pck_k, tcb_k, att_k = (ec.generate_private_key(ec.SECP256R1()) for _ in range(5))
    root = cert("Local Test Root CA", "Local Test Root CA", root_k.public_key(), root_k, True, 1)
    plat = cert("Local Test PCK Platform CA", "Local Test Root CA", plat_k.public_key(), root_k, True, 2)
    pck = cert("Local Test PCK Certificate", "Local Test PCK Platform CA", pck_k.public_key(), plat_k, False, 3, sgx_extension())
    tcbc = cert("Intel SGX TCB Signing", "Local Test Root CA", tcb_k.public_key(), root_k, False, 4)

    # The app-compose document (dstack's format) whose sha256 the compose-hash event carries.
    app_compose = json.dumps({
        "manifest_version": 2, "name": "local-test-keystore", "runner": "docker-compose",
        "docker_compose_file": "services:\n  keystore:\n    image: near-tee-keystore@sha256:" + "00" * 32 + "\n",
        "kms_enabled": False, "gateway_enabled": False, "public_logs": True, "public_sysinfo": True,
        "local_key_provider_enabled": False, "no_instance_id": False, "secure_time": False,
        "key_provider": "none", "key_provider_id": "", "allowed_envs": [],
    }, separators=(",", ":"))
    compose_hash = hashlib.sha256(app_compose.encode()).digest()
    key_provider = b'{"name":"none","id":""}'

    def runtime_events(instance_id):
        """The RTMR3 events of a dstack 0.5.x CVM, in dstack's order (digests left empty, as dstack >= 0.5.6 logs them)."""
        ev = lambda name, payload: {"imr": 3, "event_type": 0x08000001, "digest": "", "event": name, "event_payload": payload.hex()}
        return [
            {"imr": 0, "event_type": 1, "digest": "11" * 48, "event": "", "event_payload": ""},
            ev("system-preparing", b""),
            ev("app-id", compose_hash[:20]),
            ev("compose-hash", compose_hash),
            ev("instance-id", instance_id),
            ev("boot-mr-done", b""),
            ev("key-provider", key_provider),
            ev("system-ready", b""),
        ]

    def runtime_digest(e):
        return hashlib.sha384(struct.pack("<I", e["event_type"]) + b":" + e["event"].encode() + b":" + bytes.fromhex(e["event_payload"])).digest()

    def replay(events):
        rtmr3 = bytes(48)
        for e in events:
            if e["imr"] == 3:
                rtmr3 = hashlib.sha384(rtmr3 + runtime_digest(e)).digest()
        return rtmr3

    mr_signer_seam = bytes(48)
    tee_tcb_svn = bytes([5, 0, 2]) + bytes(13)  # module version 0: base tdxModule identity applies
    att_pub = att_k.public_key().public_numbers()
    att_raw = att_pub.x.to_bytes(32, "big") + att_pub.y.to_bytes(32, "big")
    auth_data = bytes(range(32))
    qe_mrsigner = bytes.fromhex("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5")
    qe_report = bytearray(384)
    qe_report[0:16] = CPU_SVN
    qe_report[48:64] = bytes.fromhex("11000000000000000000000000000000")
    qe_report[128:160] = qe_mrsigner
    qe_report[256:258] = struct.pack("<H", 2)
    qe_report[258:260] = struct.pack("<H", 4)
    qe_report[320:352] = hashlib.sha256(att_raw + auth_data).digest()
    qe_report = bytes(qe_report)
    qe_sig = raw_sig(pck_k, qe_report)
    chain_pem = (pem(pck) + pem(plat) + pem(root)).encode()
    qe_cert_data = qe_report + qe_sig + struct.pack("<H", 32) + auth_data + struct.pack("<HI", 5, len(chain_pem)) + chain_pem

    def make_quote(worker, rtmr3):
        body = (tee_tcb_svn + b"\x5e" * 48 + mr_signer_seam + bytes(8) + bytes.fromhex("0000001000000000") + bytes.fromhex("e702060000000000")
                + b"\xa1" * 48 + bytes(48) * 3 + b"\xb0" * 48 + b"\xb1" * 48 + b"\xb2" * 48 + rtmr3 + worker + bytes(32))
        assert len(body) == 584
        header = struct.pack("<HHIHH", 4, 2, 0x81, 0, PCE_SVN) + bytes.fromhex("939a7233f79c4ca9940a0db3957f0607") + bytes(20)
        quote_sig = raw_sig(att_k, header + body)
        sig_data = quote_sig + att_raw + struct.pack("<HI", 6, len(qe_cert_data)) + qe_cert_data
        return header + body + struct.pack("<I", len(sig_data)) + sig_data

    # Two instances of the same app on the same OS: different worker keys and instance ids, so
    # different RTMR3s, but the same compose hash and key-provider event.
    worker = hashlib.sha256(b"local test worker key").digest()
    events = runtime_events(b"\xcd" * 20)
    rtmr3 = replay(events)
    quote = make_quote(worker, rtmr3)
    worker_b = hashlib.sha256(b"local test worker key b").digest()
    events_b = runtime_events(b"\xef" * 20)
    rtmr3_b = replay(events_b)
    quote_b = make_quote(worker_b, rtmr3_b)
    key_provider_digest = runtime_digest(events[6])

    comps = lambda svns: [{"svn": s} for s in svns]
    tcb_info = json.dumps({
        "id": "TDX", "version": 3, "issueDate": "2026-01-01T00:00:00Z", "nextUpdate": "2026-02-01T00:00:00Z",
        "fmspc": FMSPC.hex().upper(), "pceId": PCE_ID.hex().upper(), "tcbType": 0, "tcbEvaluationDataNumber": 17,
        "tdxModule": {"mrsigner": mr_signer_seam.hex().upper(), "attributes": "0000000000000000", "attributesMask": "FFFFFFFFFFFFFFFF"},
        "tdxModuleIdentities": [],
        "tcbLevels": [
            {"tcb": {"sgxtcbcomponents": comps(CPU_SVN), "pcesvn": PCE_SVN, "tdxtcbcomponents": comps(tee_tcb_svn)},
             "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": "UpToDate"},
            {"tcb": {"sgxtcbcomponents": comps([0] * 16), "pcesvn": 0, "tdxtcbcomponents": comps([0] * 16)},
             "tcbDate": "2020-01-01T00:00:00Z", "tcbStatus": "OutOfDate", "advisoryIDs": ["INTEL-SA-00000"]},
        ]}, separators=(",", ":"))
    qe_identity = json.dumps({
        "id": "TD_QE", "version": 2, "issueDate": "2026-01-01T00:00:00Z", "nextUpdate": "2026-02-01T00:00:00Z",
        "tcbEvaluationDataNumber": 17, "miscselect": "00000000", "miscselectMask": "FFFFFFFF",
        "attributes": "11000000000000000000000000000000", "attributesMask": "FBFFFFFFFFFFFFFF0000000000000000",
        "mrsigner": qe_mrsigner.hex().upper(), "isvprodid": 2,
        "tcbLevels": [{"tcb": {"isvsvn": 4}, "tcbDate": "2025-01-01T00:00:00Z", "tcbStatus": "UpToDate"}]}, separators=(",", ":"))
    collateral = {
        "pck_crl_issuer_chain": pem(plat) + pem(root),
        "root_ca_crl": crl("Local Test Root CA", root_k, [99]),
        "pck_crl": crl("Local Test PCK Platform CA", plat_k, [77, 78]),
        "tcb_info_issuer_chain": pem(tcbc) + pem(root),
        "tcb_info": tcb_info,
        "tcb_info_signature": raw_sig(tcb_k, tcb_info.encode()).hex(),
        "qe_identity_issuer_chain": pem(tcbc) + pem(root),
        "qe_identity": qe_identity,
        "qe_identity_signature": raw_sig(tcb_k, qe_identity.encode()).hex(),
    }
    # A PCK CRL that revokes the PCK leaf (serial 3), for the revocation test.
    open(os.path.join(OUT, "pck_crl_revoking_leaf.hex"), "w").write(crl("Local Test PCK Platform CA", plat_k, [77, 3]))
    open(os.path.join(OUT, "quote.bin"), "wb").write(quote)
    open(os.path.join(OUT, "quote_b.bin"), "wb").write(quote_b)
    open(os.path.join(OUT, "app_compose.json"), "w").write(app_compose)
    open(os.path.join(OUT, "root_ca.der"), "wb").write(root.public_bytes(serialization.Encoding.DER))
    json.dump(collateral, open(os.path.join(OUT, "collateral.json"), "w"), indent=1)
    json.dump(events, open(os.path.join(OUT, "event_log.json"), "w"), indent=1)
    json.dump(events_b, open(os.path.join(OUT, "event_log_b.json"), "w"), indent=1)
    json.dump({"worker_public_key_hex": worker.hex(), "rtmr3": rtmr3.hex(), "verify_at": 1767571200,
               "worker_b_public_key_hex": worker_b.hex(), "rtmr3_b": rtmr3_b.hex(),
               "compose_hash": compose_hash.hex(), "key_provider_digest": key_provider_digest.hex(),
               "mrtd": "a1" * 48, "rtmr0": "b0" * 48, "rtmr1": "b1" * 48, "rtmr2": "b2" * 48},
              open(os.path.join(OUT, "expected.json"), "w"), indent=1)

main()
