/*
 * storeInt.h - what a storage backend implements.  Private to src/store.
 *
 * Each backend (sqlite.c now, a PostgreSQL one later) defines a struct that
 * starts with struct jx_store and fills a struct jx_store_ops; store.c turns
 * the public calls of store.h into calls through the table.
 */
#ifndef JX_STORE_INT_H
#define JX_STORE_INT_H

#include "store/store.h"

struct jx_store_ops {
    const char *name;
    void (*close)(struct jx_store *st);
    enum jx_status (*migrate)(struct jx_store *st, int *from, int *to, struct jx_err *err);
    enum jx_status (*check_schema)(struct jx_store *st, struct jx_err *err);
    enum jx_status (*begin)(struct jx_store *st, struct jx_err *err);
    enum jx_status (*commit)(struct jx_store *st, struct jx_err *err);
    void (*rollback)(struct jx_store *st);
    enum jx_status (*put)(struct jx_store *st, enum jx_kind kind, const struct jx_value *values,
                          struct jx_err *err);
    enum jx_status (*exists)(struct jx_store *st, enum jx_kind kind, const char *id, size_t len,
                             bool *exists, struct jx_err *err);
    enum jx_status (*period_locked)(struct jx_store *st, const char *period, bool *locked,
                                    struct jx_err *err);
    enum jx_status (*count)(struct jx_store *st, enum jx_kind kind, long *n, struct jx_err *err);
    enum jx_status (*audit)(struct jx_store *st, const char *who, const char *action,
                            const char *what, const char *before, const char *after,
                            struct jx_err *err);
    enum jx_status (*load)(struct jx_store *st, struct jx_data *d, struct jx_err *err);
    enum jx_status (*save_run)(struct jx_store *st, const struct jx_run_record *run,
                               struct jx_err *err);
    enum jx_status (*get_run)(struct jx_store *st, const char *period, const char *run_id,
                              const char *person_id, bool traces,
                              struct jx_run_record *run, struct jx_err *err);
    enum jx_status (*lock_period)(struct jx_store *st, const char *period, const char *who,
                                  struct jx_err *err);
    enum jx_status (*publish)(struct jx_store *st, const struct jx_publication *pub,
                              bool *published, struct jx_err *err);
    enum jx_status (*workflow)(struct jx_store *st, const char *period, struct jx_workflow *wf,
                               struct jx_err *err);
    enum jx_status (*appeal_period)(struct jx_store *st, long long id, char *buf,
                                    struct jx_err *err);
    enum jx_status (*appeal_add)(struct jx_store *st, const struct jx_appeal *ap, long long *id,
                                 struct jx_err *err);
    enum jx_status (*appeal_decide)(struct jx_store *st, const struct jx_appeal_decision *d,
                                    int *version, struct jx_err *err);
    enum jx_status (*result_versions)(struct jx_store *st, const char *period,
                                      const char *person_id, struct jx_result_versions *out,
                                      struct jx_err *err);
    enum jx_status (*user_put)(struct jx_store *st, const struct jx_user *u, bool create,
                               const char *who, struct jx_err *err);
    enum jx_status (*user_get)(struct jx_store *st, const char *name, struct jx_user *u,
                               struct jx_err *err);
    enum jx_status (*user_list)(struct jx_store *st, struct jx_user **out, size_t *n,
                                struct jx_err *err);
    enum jx_status (*session_put)(struct jx_store *st, const char *token_hash,
                                  const struct jx_session *s, struct jx_err *err);
    enum jx_status (*session_get)(struct jx_store *st, const char *token_hash,
                                  struct jx_session *s, struct jx_err *err);
    enum jx_status (*session_touch)(struct jx_store *st, const char *token_hash, long long now,
                                    struct jx_err *err);
    enum jx_status (*session_delete)(struct jx_store *st, const char *token_hash,
                                     struct jx_err *err);
    enum jx_status (*login_failure)(struct jx_store *st, const char *user, long long now,
                                    struct jx_err *err);
    enum jx_status (*login_failures)(struct jx_store *st, const char *user, long long since,
                                     long *n, struct jx_err *err);
    enum jx_status (*org)(struct jx_store *st, struct jx_org *org, struct jx_err *err);
    enum jx_status (*audit_list)(struct jx_store *st, long limit, char **json,
                                 struct jx_err *err);
    enum jx_status (*rows)(struct jx_store *st, enum jx_kind kind, jx_row_fn fn, void *ctx,
                           struct jx_err *err);
    enum jx_status (*runs)(struct jx_store *st, const char *period, char **json,
                           struct jx_err *err);
    enum jx_status (*periods)(struct jx_store *st, struct jx_period_info **out, size_t *n,
                              struct jx_err *err);
};

struct jx_store {
    const struct jx_store_ops *ops;
};

/* The SQLite backend: location is a file path. */
enum jx_status jx_sqlite_open(const char *path, bool create, struct jx_store **out,
                              struct jx_err *err);

#endif
