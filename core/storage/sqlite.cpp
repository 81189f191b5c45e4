#include "storage/sqlite.h"

#include <sqlite3.h>

namespace headroom::sqlite {
namespace {
[[noreturn]] void fail(sqlite3* db, int code) {
    throw SqliteError(code, db ? sqlite3_errmsg(db) : sqlite3_errstr(code));
}
} // namespace

void Database::Closer::operator()(sqlite3* db) const {
    sqlite3_close_v2(db);
}

Database::Database(const std::string& path, Mode mode) {
    int flags = 0;
    switch (mode) {
    case Mode::ReadOnly:
        flags = SQLITE_OPEN_READONLY;
        break;
    case Mode::ReadWriteCreate:
        flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
        break;
    case Mode::Memory:
        flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_MEMORY;
        break;
    }
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(mode == Mode::Memory ? ":memory:" : path.c_str(), &raw,
                                   flags | SQLITE_OPEN_NOMUTEX, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK)
        fail(raw, rc);
    sqlite3_extended_result_codes(raw, 1);
}

Database::~Database() = default;

void Database::exec(std::string_view sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_.get(), std::string(sql).c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw SqliteError(rc, text);
    }
}

Statement Database::prepare(std::string_view sql) {
    return Statement(*this, sql);
}

std::int64_t Database::queryInteger(std::string_view sql) {
    Statement statement(*this, sql);
    if (!statement.step())
        throw SqliteError(SQLITE_ERROR, "query returned no row: " + std::string(sql));
    return statement.integer(0);
}

bool Database::tableExists(std::string_view table) {
    Statement statement(*this, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
    statement.bind(1, table);
    return statement.step();
}

void Database::copyFrom(Database& source) {
    sqlite3_backup* backup = sqlite3_backup_init(db_.get(), "main", source.handle(), "main");
    if (!backup)
        fail(db_.get(), sqlite3_errcode(db_.get()));
    const int step = sqlite3_backup_step(backup, -1);
    const int finish = sqlite3_backup_finish(backup);
    if (step != SQLITE_DONE)
        throw SqliteError(step, sqlite3_errstr(step));
    if (finish != SQLITE_OK)
        fail(db_.get(), finish);
}

void Statement::Finalizer::operator()(sqlite3_stmt* statement) const {
    sqlite3_finalize(statement);
}

Statement::Statement(Database& db, std::string_view sql) : db_(db.handle()) {
    sqlite3_stmt* raw = nullptr;
    const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
    statement_.reset(raw);
    if (rc != SQLITE_OK)
        fail(db_, rc);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (int rc = sqlite3_bind_int64(statement_.get(), index, value); rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    if (int rc = sqlite3_bind_double(statement_.get(), index, value); rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    if (int rc = sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(),
                                     SQLITE_TRANSIENT, SQLITE_UTF8);
        rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

Statement& Statement::bindBlob(int index, std::span<const std::uint8_t> bytes) {
    // Not copied (SQLITE_STATIC): a large save binds tens of megabytes of chunks, and each
    // copy was a fresh allocation to fault in.
    if (int rc =
            sqlite3_bind_blob64(statement_.get(), index, bytes.data(), bytes.size(), SQLITE_STATIC);
        rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

Statement& Statement::bindNull(int index) {
    if (int rc = sqlite3_bind_null(statement_.get(), index); rc != SQLITE_OK)
        fail(db_, rc);
    return *this;
}

bool Statement::step() {
    const int rc = sqlite3_step(statement_.get());
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    fail(db_, rc);
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(statement_.get());
    sqlite3_clear_bindings(statement_.get());
}

bool Statement::isNull(int column) const {
    return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}
std::int64_t Statement::integer(int column) const {
    return sqlite3_column_int64(statement_.get(), column);
}
double Statement::real(int column) const {
    return sqlite3_column_double(statement_.get(), column);
}
std::string Statement::text(int column) const {
    const auto* data = sqlite3_column_text(statement_.get(), column);
    const int size = sqlite3_column_bytes(statement_.get(), column);
    return data ? std::string(reinterpret_cast<const char*>(data), static_cast<std::size_t>(size))
                : std::string();
}
std::span<const std::uint8_t> Statement::blob(int column) const {
    const auto* data =
        static_cast<const std::uint8_t*>(sqlite3_column_blob(statement_.get(), column));
    const int size = sqlite3_column_bytes(statement_.get(), column);
    return data ? std::span<const std::uint8_t>(data, static_cast<std::size_t>(size))
                : std::span<const std::uint8_t>();
}

int Statement::type(int column) const {
    return sqlite3_column_type(statement_.get(), column);
}

Transaction::Transaction(Database& db) : db_(db) {
    db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
    if (!done_) {
        try {
            db_.exec("ROLLBACK");
        } catch (const SqliteError&) {
            // Nothing more to do: the connection is being abandoned anyway.
        }
    }
}

void Transaction::commit() {
    db_.exec("COMMIT");
    done_ = true;
}

} // namespace headroom::sqlite
