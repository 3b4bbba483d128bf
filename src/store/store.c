/*
 * store.c - the public storage calls, dispatched to the backend that
 * jx_store_open() chose from the location.
 */
#include "store/storeInt.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"

enum jx_status jx_store_open(const char *location, bool create, struct jx_store **out,
                             struct jx_err *err)
{
    if (!strncmp(location, "postgres://", 11) || !strncmp(location, "postgresql://", 13))
        return jx_err_set(err, JX_EUSAGE,
                          "PostgreSQL storage is not built into this binary yet; use an "
                          "SQLite file path");
    return jx_sqlite_open(location, create, out, err);
}

void jx_store_close(struct jx_store *st)
{
    if (st)
        st->ops->close(st);
}

enum jx_status jx_store_migrate(struct jx_store *st, int *from, int *to, struct jx_err *err)
{
    return st->ops->migrate(st, from, to, err);
}

enum jx_status jx_store_check_schema(struct jx_store *st, struct jx_err *err)
{
    return st->ops->check_schema(st, err);
}

enum jx_status jx_store_begin(struct jx_store *st, struct jx_err *err)
{
    return st->ops->begin(st, err);
}

enum jx_status jx_store_commit(struct jx_store *st, struct jx_err *err)
{
    return st->ops->commit(st, err);
}

void jx_store_rollback(struct jx_store *st)
{
    st->ops->rollback(st);
}

enum jx_status jx_store_put(struct jx_store *st, enum jx_kind kind, const struct jx_value *values,
                            struct jx_err *err)
{
    return st->ops->put(st, kind, values, err);
}

enum jx_status jx_store_exists(struct jx_store *st, enum jx_kind kind, const char *id,
                               size_t len, bool *exists, struct jx_err *err)
{
    return st->ops->exists(st, kind, id, len, exists, err);
}

enum jx_status jx_store_period_locked(struct jx_store *st, const char *period, bool *locked,
                                      struct jx_err *err)
{
    return st->ops->period_locked(st, period, locked, err);
}

enum jx_status jx_store_count(struct jx_store *st, enum jx_kind kind, long *n,
                              struct jx_err *err)
{
    return st->ops->count(st, kind, n, err);
}

enum jx_status jx_store_audit(struct jx_store *st, const char *who, const char *action,
                              const char *what, const char *before, const char *after,
                              struct jx_err *err)
{
    return st->ops->audit(st, who, action, what, before, after, err);
}

enum jx_status jx_store_load(struct jx_store *st, struct jx_data *d, struct jx_err *err)
{
    return st->ops->load(st, d, err);
}

enum jx_status jx_store_save_run(struct jx_store *st, const struct jx_run_record *run,
                                 struct jx_err *err)
{
    return st->ops->save_run(st, run, err);
}

enum jx_status jx_store_get_run(struct jx_store *st, const char *period, const char *person_id,
                                struct jx_run_record *run, struct jx_err *err)
{
    return st->ops->get_run(st, period, NULL, person_id, true, run, err);
}

enum jx_status jx_store_get_results(struct jx_store *st, const char *period,
                                    struct jx_run_record *run, struct jx_err *err)
{
    return st->ops->get_run(st, period, NULL, NULL, false, run, err);
}

enum jx_status jx_store_get_results_of(struct jx_store *st, const char *period,
                                       const char *run_id, struct jx_run_record *run,
                                       struct jx_err *err)
{
    return st->ops->get_run(st, period, run_id, NULL, false, run, err);
}

enum jx_status jx_store_rows(struct jx_store *st, enum jx_kind kind, jx_row_fn fn, void *ctx,
                             struct jx_err *err)
{
    return st->ops->rows(st, kind, fn, ctx, err);
}

enum jx_status jx_store_runs(struct jx_store *st, const char *period, char **json,
                             struct jx_err *err)
{
    return st->ops->runs(st, period, json, err);
}

void jx_run_record_release(struct jx_run_record *run)
{
    if (run->arena) {
        jx_arena_free(run->arena);
        free(run->arena);
    }
    memset(run, 0, sizeof *run);
}

enum jx_status jx_store_lock_period(struct jx_store *st, const char *period, const char *who,
                                    struct jx_err *err)
{
    return st->ops->lock_period(st, period, who, err);
}

enum jx_status jx_store_publish(struct jx_store *st, const struct jx_publication *pub,
                                bool *published, struct jx_err *err)
{
    return st->ops->publish(st, pub, published, err);
}

enum jx_status jx_store_workflow(struct jx_store *st, const char *period, struct jx_workflow *wf,
                                 struct jx_err *err)
{
    return st->ops->workflow(st, period, wf, err);
}

void jx_workflow_release(struct jx_workflow *wf)
{
    if (wf->arena) {
        jx_arena_free(wf->arena);
        free(wf->arena);
    }
    memset(wf, 0, sizeof *wf);
}

enum jx_status jx_store_appeal_period(struct jx_store *st, long long id, char *buf,
                                     struct jx_err *err)
{
    return st->ops->appeal_period(st, id, buf, err);
}

enum jx_status jx_store_appeal_add(struct jx_store *st, const struct jx_appeal *ap,
                                   long long *id, struct jx_err *err)
{
    return st->ops->appeal_add(st, ap, id, err);
}

enum jx_status jx_store_appeal_decide(struct jx_store *st, const struct jx_appeal_decision *d,
                                      int *version, struct jx_err *err)
{
    return st->ops->appeal_decide(st, d, version, err);
}

enum jx_status jx_store_result_versions(struct jx_store *st, const char *period,
                                        const char *person_id, struct jx_result_versions *out,
                                        struct jx_err *err)
{
    return st->ops->result_versions(st, period, person_id, out, err);
}

void jx_result_versions_release(struct jx_result_versions *out)
{
    if (out->arena) {
        jx_arena_free(out->arena);
        free(out->arena);
    }
    memset(out, 0, sizeof *out);
}

enum jx_status jx_store_user_put(struct jx_store *st, const struct jx_user *u, bool create,
                                 const char *who, struct jx_err *err)
{
    return st->ops->user_put(st, u, create, who, err);
}

enum jx_status jx_store_user_get(struct jx_store *st, const char *name, struct jx_user *u,
                                 struct jx_err *err)
{
    return st->ops->user_get(st, name, u, err);
}

enum jx_status jx_store_user_list(struct jx_store *st, struct jx_user **out, size_t *n,
                                  struct jx_err *err)
{
    return st->ops->user_list(st, out, n, err);
}

enum jx_status jx_store_session_put(struct jx_store *st, const char *token_hash,
                                    const struct jx_session *s, struct jx_err *err)
{
    return st->ops->session_put(st, token_hash, s, err);
}

enum jx_status jx_store_session_get(struct jx_store *st, const char *token_hash,
                                    struct jx_session *s, struct jx_err *err)
{
    return st->ops->session_get(st, token_hash, s, err);
}

enum jx_status jx_store_session_touch(struct jx_store *st, const char *token_hash, long long now,
                                      struct jx_err *err)
{
    return st->ops->session_touch(st, token_hash, now, err);
}

enum jx_status jx_store_session_delete(struct jx_store *st, const char *token_hash,
                                       struct jx_err *err)
{
    return st->ops->session_delete(st, token_hash, err);
}

enum jx_status jx_store_login_failure(struct jx_store *st, const char *user, long long now,
                                      struct jx_err *err)
{
    return st->ops->login_failure(st, user, now, err);
}

enum jx_status jx_store_login_failures(struct jx_store *st, const char *user, long long since,
                                       long *n, struct jx_err *err)
{
    return st->ops->login_failures(st, user, since, n, err);
}

enum jx_status jx_store_org(struct jx_store *st, struct jx_org *org, struct jx_err *err)
{
    return st->ops->org(st, org, err);
}

void jx_org_release(struct jx_org *org)
{
    if (org->arena) {
        jx_arena_free(org->arena);
        free(org->arena);
    }
    memset(org, 0, sizeof *org);
}

enum jx_status jx_store_periods(struct jx_store *st, struct jx_period_info **out, size_t *n,
                                struct jx_err *err)
{
    return st->ops->periods(st, out, n, err);
}

enum jx_status jx_store_audit_list(struct jx_store *st, long limit, char **json,
                                   struct jx_err *err)
{
    return st->ops->audit_list(st, limit, json, err);
}
