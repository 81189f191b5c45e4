#pragma once
// A thin RAII layer over the SQLite C API: a connection and prepared statements. Failures throw
// SqliteError inside core/storage only; the public storage functions turn them into Error values.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace headroom::sqlite {

class SqliteError : public std::runtime_error {
  public:
    SqliteError(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
    [[nodiscard]] int code() const { return code_; }

  private:
    int code_;
};

class Statement;

/// One open connection. Closing happens in the destructor.
class Database {
  public:
    enum class Mode { ReadOnly, ReadWriteCreate, Memory };
    Database(const std::string& path, Mode mode);
    Database(Database&&) noexcept = default;
    Database& operator=(Database&&) noexcept = default;
    ~Database();

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql);
    /// The single integer a query like "PRAGMA application_id" returns.
    std::int64_t queryInteger(std::string_view sql);
    bool tableExists(std::string_view table);
    /// Copies the whole database `source` into this one (sqlite3 backup API).
    void copyFrom(Database& source);
    [[nodiscard]] sqlite3* handle() const { return db_.get(); }

  private:
    struct Closer {
        void operator()(sqlite3* db) const;
    };
    std::unique_ptr<sqlite3, Closer> db_;
};

/// A prepared statement; bind with 1-based indexes, step, then read 0-based columns.
class Statement {
  public:
    Statement(Database& db, std::string_view sql);

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bindNull(int index);
    /// Binds the bytes without copying them: they must stay alive and unchanged until the
    /// statement has run (it is reset for the next binding) or is finalized.
    Statement& bindBlob(int index, std::span<const std::uint8_t> bytes);

    /// Advances to the next row; false when done.
    bool step();
    /// Runs a statement that returns no rows, then resets it for the next binding.
    void run();
    void reset();

    [[nodiscard]] bool isNull(int column) const;
    [[nodiscard]] std::int64_t integer(int column) const;
    [[nodiscard]] double real(int column) const;
    [[nodiscard]] std::string text(int column) const;
    /// The column's bytes, where SQLite holds them: valid until the statement steps or resets.
    [[nodiscard]] std::span<const std::uint8_t> blob(int column) const;
    /// SQLite's storage class of the column value: SQLITE_INTEGER, SQLITE_FLOAT, ...
    [[nodiscard]] int type(int column) const;

  private:
    struct Finalizer {
        void operator()(sqlite3_stmt* statement) const;
    };
    sqlite3* db_;
    std::unique_ptr<sqlite3_stmt, Finalizer> statement_;
};

/// A transaction that rolls back unless committed.
class Transaction {
  public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

  private:
    Database& db_;
    bool done_ = false;
};

} // namespace headroom::sqlite
