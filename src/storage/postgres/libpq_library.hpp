#pragma once

#include <libpq-fe.h>

namespace sileram::storage::postgres {

// The library that libpq() loads, and --version looks at.
constexpr const char* k_libpq_soname = "libpq.so.5";

// The libpq functions sileram calls, each member named as its function.
#define SILERAM_LIBPQ_FUNCTIONS(F)                                                                 \
    F(PQconnectdbParams)                                                                           \
    F(PQfinish)                                                                                    \
    F(PQstatus)                                                                                    \
    F(PQerrorMessage)                                                                              \
    F(PQconnectionNeedsPassword)                                                                   \
    F(PQhost)                                                                                      \
    F(PQport)                                                                                      \
    F(PQuser)                                                                                      \
    F(PQdb)                                                                                        \
    F(PQtransactionStatus)                                                                         \
    F(PQexec)                                                                                      \
    F(PQexecParams)                                                                                \
    F(PQsendQueryParams)                                                                           \
    F(PQgetResult)                                                                                 \
    F(PQenterPipelineMode)                                                                         \
    F(PQexitPipelineMode)                                                                          \
    F(PQpipelineSync)                                                                              \
    F(PQputCopyData)                                                                               \
    F(PQputCopyEnd)                                                                                \
    F(PQresultStatus)                                                                              \
    F(PQresultErrorMessage)                                                                        \
    F(PQresultErrorField)                                                                          \
    F(PQntuples)                                                                                   \
    F(PQgetvalue)                                                                                  \
    F(PQgetlength)                                                                                 \
    F(PQgetisnull)                                                                                 \
    F(PQcmdTuples)                                                                                 \
    F(PQclear)

// libpq, loaded with dlopen when the first PostgreSQL connection opens. Linked, it made every
// command load its 25 shared libraries (TLS, Kerberos, LDAP, ...) at start, a SQLite one too:
// about 4 ms of each command (docs/performance.md).
struct LibPq {
// NOLINTNEXTLINE(bugprone-macro-parentheses): the argument is the member's name, not a value
#define SILERAM_LIBPQ_MEMBER(name) decltype(&::name) name;
    SILERAM_LIBPQ_FUNCTIONS(SILERAM_LIBPQ_MEMBER)
#undef SILERAM_LIBPQ_MEMBER
};

// The loaded library, once per process. Throws SystemFailure naming the library when it cannot
// be loaded or lacks a function.
const LibPq& libpq();

} // namespace sileram::storage::postgres
