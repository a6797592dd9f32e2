// A thin RAII layer over the SQLite C API: a connection and prepared statements
// whose errors come back as strings. Only what the audit log needs.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kakunin::audit::detail {

using Blob = std::vector<std::uint8_t>;

class Statement {
 public:
  Statement(sqlite3* db, std::string_view sql);
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  bool prepared() const { return statement_ != nullptr; }
  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const Blob& blob);
  Statement& bind_null(int index);
  // SQLITE_ROW, SQLITE_DONE or an error code.
  int step();
  void reset();

  bool is_null(int column) const;
  std::int64_t integer(int column) const;
  std::string text(int column) const;
  Blob blob(int column) const;
  std::optional<std::int64_t> optional_integer(int column) const;
  std::optional<std::string> optional_text(int column) const;

 private:
  sqlite3_stmt* statement_ = nullptr;
};

class Connection {
 public:
  // flags: SQLITE_OPEN_READONLY or SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE.
  static std::optional<Connection> open(const std::string& path, int flags, std::string* error);
  Connection(Connection&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  Connection& operator=(Connection&& other) noexcept;
  Connection(const Connection&) = delete;
  ~Connection();

  sqlite3* handle() const { return db_; }
  // Runs SQL without results; on failure returns the message.
  std::optional<std::string> exec(const char* sql) const;
  std::string last_error() const { return sqlite3_errmsg(db_); }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

}  // namespace kakunin::audit::detail
