/*
 * store.h - the one storage interface.  No SQL outside src/store.
 *
 * A store is opened from a location ("demo.db" is an SQLite file; a
 * PostgreSQL backend would take "postgres://...").  Callers see only the
 * functions below; each backend fills a struct jx_store_ops (storeInt.h).
 *
 * Writes happen inside a transaction: jx_store_begin(), then puts, then
 * jx_store_commit() or jx_store_rollback().  An import is one transaction,
 * so a failed import changes nothing.
 */
#ifndef JX_STORE_H
#define JX_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/status.h"
#include "store/model.h"

struct jx_data;

struct jx_store;

/*
 * Open the store at location.  create: make the file if missing (init);
 * otherwise a missing database is an error.  The schema is not migrated
 * here; see jx_store_migrate().  *out is the caller's, to jx_store_close().
 */
enum jx_status jx_store_open(const char *location, bool create, struct jx_store **out,
                             struct jx_err *err) JX_MUST_USE;

/* Close and free a store (NULL is fine).  An open transaction is rolled back. */
void jx_store_close(struct jx_store *st);

/*
 * Bring the schema to the newest version, applying each numbered migration
 * in its own transaction.  *from and *to (may be NULL) receive the versions.
 */
enum jx_status jx_store_migrate(struct jx_store *st, int *from, int *to,
                                struct jx_err *err) JX_MUST_USE;

/* Fail with a clear message unless the schema is at the newest version. */
enum jx_status jx_store_check_schema(struct jx_store *st, struct jx_err *err) JX_MUST_USE;

enum jx_status jx_store_begin(struct jx_store *st, struct jx_err *err) JX_MUST_USE;
enum jx_status jx_store_commit(struct jx_store *st, struct jx_err *err) JX_MUST_USE;
void jx_store_rollback(struct jx_store *st);

/*
 * Insert or replace one row of kind; values has jx_kinds[kind].ncolumns
 * entries in column order.  A row whose key (jx_kind_def.key) matches an
 * existing one replaces it.  For contracts each call is one line: the first
 * line of a contract_id seen in the current transaction replaces the
 * contract's header and drops its earlier lines; further lines are added in
 * call order.  A split value "P1:60;P2:40" is stored as one row per person.
 */
enum jx_status jx_store_put(struct jx_store *st, enum jx_kind kind,
                            const struct jx_value *values, struct jx_err *err) JX_MUST_USE;

/* *exists = whether a row of kind (a kind keyed by one id column) has this id. */
enum jx_status jx_store_exists(struct jx_store *st, enum jx_kind kind, const char *id,
                               size_t len, bool *exists, struct jx_err *err) JX_MUST_USE;

/* *locked = whether the month, quarter or year period (text) is locked. */
enum jx_status jx_store_period_locked(struct jx_store *st, const char *period, bool *locked,
                                      struct jx_err *err) JX_MUST_USE;

/* Number of rows of a kind (for contracts: lines). */
enum jx_status jx_store_count(struct jx_store *st, enum jx_kind kind, long *n,
                              struct jx_err *err) JX_MUST_USE;

/*
 * Append to the audit log: who (user or "cli"), action ("import", "run"...),
 * what (free text, e.g. "contracts.csv: 120 rows"), before/after (JSON text
 * or NULL).  Part of the current transaction when one is open.
 */
enum jx_status jx_store_audit(struct jx_store *st, const char *who, const char *action,
                              const char *what, const char *before, const char *after,
                              struct jx_err *err) JX_MUST_USE;

/* One person's stored result. */
struct jx_run_row {
    const char *person_id;
    const char *result;   /* JSON object */
    const char *trace;    /* JSON array */
    long long carry_out;  /* fen */
};

/* A stored run: what jixiao results and explain print. */
struct jx_run_record {
    const char *id;
    const char *period;
    const char *plans;
    const char *input_hash;
    const char *created_by;
    struct jx_run_row *rows; /* sorted by person id */
    size_t nrows;
    void *arena;             /* owner of the strings and rows when read from the store */
};

/*
 * Store a run and its rows in one transaction (the caller must not have one
 * open).  A run with the same id (same period, plans and inputs) is replaced.
 * Refused with JX_ELOCKED when the period is locked.
 */
enum jx_status jx_store_save_run(struct jx_store *st, const struct jx_run_record *run,
                                 struct jx_err *err) JX_MUST_USE;

/*
 * The newest run of a period into *run (the caller releases it with
 * jx_run_record_release()).  JX_ENOTFOUND when the period has no run.
 * person_id, when not NULL, keeps only that person's row.
 */
enum jx_status jx_store_get_run(struct jx_store *st, const char *period, const char *person_id,
                                struct jx_run_record *run, struct jx_err *err) JX_MUST_USE;

void jx_run_record_release(struct jx_run_record *run);

/* Lock a period for good (finance).  JX_ENOTFOUND when it has no run. */
enum jx_status jx_store_lock_period(struct jx_store *st, const char *period, const char *who,
                                    struct jx_err *err) JX_MUST_USE;

/*
 * Load everything a run reads (engine/data.h) in one read transaction, with
 * the digest of it in d->input_hash.  The caller owns d: jx_data_release().
 */
enum jx_status jx_store_load(struct jx_store *st, struct jx_data *d,
                             struct jx_err *err) JX_MUST_USE;

#endif
