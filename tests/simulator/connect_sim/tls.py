"""A throw-away certificate authority and server certificate for --tls runs.

Clients trust the run's CA file (written next to the ready file), exactly as they
would trust a private CA in front of a real Connect server.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
import ssl
import tempfile

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

VALIDITY = datetime.timedelta(days=7)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "connect-sim"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _pem_key(key) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM,
                             serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _certificate(subject, issuer, public_key, signing_key, extensions) -> x509.Certificate:
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder()
               .subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - datetime.timedelta(minutes=5))
               .not_valid_after(now + VALIDITY))
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(signing_key, hashes.SHA256())


def make_certificates() -> tuple[bytes, bytes, bytes]:
    """Return (CA cert PEM, server cert chain PEM, server key PEM)."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("connect-sim test CA")
    ca_cert = _certificate(ca_name, ca_name, ca_key.public_key(), ca_key, [
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                       content_commitment=False, key_encipherment=False,
                       data_encipherment=False, key_agreement=False,
                       encipher_only=False, decipher_only=False), True),
        (x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False),
    ])
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = _certificate(_name("localhost"), ca_name, server_key.public_key(), ca_key, [
        (x509.BasicConstraints(ca=False, path_length=None), True),
        (x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                      x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False),
    ])
    ca_pem = ca_cert.public_bytes(serialization.Encoding.PEM)
    chain_pem = server_cert.public_bytes(serialization.Encoding.PEM) + ca_pem
    return ca_pem, chain_pem, _pem_key(server_key)


def server_ssl_context(ca_file: str) -> ssl.SSLContext:
    """Create fresh certificates, write the CA to ``ca_file`` and return the server context."""
    ca_pem, chain_pem, key_pem = make_certificates()
    with open(ca_file, "wb") as handle:
        handle.write(ca_pem)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    # ssl only loads keys from files; keep them on disk just long enough to load.
    with tempfile.TemporaryDirectory(prefix="connect-sim-tls-") as folder:
        chain_path = os.path.join(folder, "server.pem")
        key_path = os.path.join(folder, "server.key")
        with open(chain_path, "wb") as handle:
            handle.write(chain_pem)
        with open(key_path, "wb") as handle:
            handle.write(key_pem)
        os.chmod(key_path, 0o600)
        context.load_cert_chain(chain_path, key_path)
    return context
