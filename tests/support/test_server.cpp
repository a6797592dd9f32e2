#include "test_server.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace kakunin::testing {
namespace {

struct KeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct CertFree {
  void operator()(X509* c) const { X509_free(c); }
};
using Key = std::unique_ptr<EVP_PKEY, KeyFree>;
using Cert = std::unique_ptr<X509, CertFree>;

void require(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what);
}

void add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  require(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate valid from an hour ago for a day, ECDSA P-256 / SHA-256.
Cert make_cert(EVP_PKEY* key, const std::string& common_name, X509* issuer, EVP_PKEY* issuer_key,
               bool ca, long serial) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 24L * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                             0);
  X509* signer_cert = issuer ? issuer : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(signer_cert));
  add_extension(cert.get(), signer_cert, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), signer_cert, NID_authority_key_identifier, "keyid:always");
  if (ca) {
    add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:TRUE");
    add_extension(cert.get(), signer_cert, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    add_extension(cert.get(), signer_cert, NID_basic_constraints, "critical,CA:FALSE");
    add_extension(cert.get(), signer_cert, NID_key_usage, "critical,digitalSignature");
    add_extension(cert.get(), signer_cert, NID_ext_key_usage, "serverAuth");
    add_extension(cert.get(), signer_cert, NID_subject_alt_name, "IP:127.0.0.1,DNS:localhost");
  }
  require(X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) > 0, "sign");
  return cert;
}

void write_pem(const std::filesystem::path& path, X509* cert) {
  FILE* f = std::fopen(path.c_str(), "w");
  require(f != nullptr, "open cert file");
  PEM_write_X509(f, cert);
  std::fclose(f);
}

void write_pem(const std::filesystem::path& path, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  require(f != nullptr, "open key file");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

std::string spki_pin(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(key, &der);
  require(length > 0, "spki");
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<size_t>(length), digest);
  OPENSSL_free(der);
  unsigned char b64[64] = {};
  EVP_EncodeBlock(b64, digest, SHA256_DIGEST_LENGTH);
  return "sha256//" + std::string(reinterpret_cast<char*>(b64));
}

}  // namespace

TestPki TestPki::make(const std::filesystem::path& dir, const std::string& name) {
  Key ca_key(EVP_EC_gen("P-256"));
  Key server_key(EVP_EC_gen("P-256"));
  require(ca_key && server_key, "key generation");
  const Cert ca = make_cert(ca_key.get(), "Kakunin test CA " + name, nullptr, nullptr, true, 1);
  const Cert server = make_cert(server_key.get(), "127.0.0.1", ca.get(), ca_key.get(), false, 2);
  TestPki pki;
  pki.ca_file = dir / (name + "-ca.pem");
  pki.cert_file = dir / (name + "-server.pem");
  pki.key_file = dir / (name + "-server.key");
  write_pem(pki.ca_file, ca.get());
  write_pem(pki.cert_file, server.get());
  write_pem(pki.key_file, server_key.get());
  pki.server_key_pin = spki_pin(server_key.get());
  return pki;
}

TestServer::TestServer(std::unique_ptr<httplib::Server> server, Handler handler, bool tls)
    : server_(std::move(server)), handler_(std::move(handler)), tls_(tls) {
  auto serve = [this](const httplib::Request& request, httplib::Response& response) {
    ++requests_;
    handler_(request, response);
  };
  server_->Get(".*", serve);
  server_->Post(".*", serve);
  port_ = server_->bind_to_any_port("127.0.0.1");
  require(port_ > 0, "bind");
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // stop() only works once the server runs, so start-up is awaited.
  while (!server_->is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

std::unique_ptr<TestServer> TestServer::https(const TestPki& pki, Handler handler) {
  auto server = std::make_unique<httplib::SSLServer>(pki.cert_file.c_str(), pki.key_file.c_str());
  require(server->is_valid(), "TLS server setup");
  return std::unique_ptr<TestServer>(new TestServer(std::move(server), std::move(handler), true));
}

std::unique_ptr<TestServer> TestServer::http(Handler handler) {
  return std::unique_ptr<TestServer>(
      new TestServer(std::make_unique<httplib::Server>(), std::move(handler), false));
}

TestServer::~TestServer() {
  server_->stop();
  thread_.join();
}

std::string TestServer::url(const std::string& path) const {
  return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
}

}  // namespace kakunin::testing
