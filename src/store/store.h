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
    /* the plans the run used, in order: file names as given and their text */
    const char **plan_files, **plan_texts;
    size_t *plan_lens;
    size_t nplan_texts;
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

/* The same without the traces (each row's trace is ""): for results lists. */
enum jx_status jx_store_get_results(struct jx_store *st, const char *period,
                                    struct jx_run_record *run, struct jx_err *err) JX_MUST_USE;

/*
 * Call fn with every stored row of kind, in import order, as the importer
 * gave it (values has jx_kinds[kind].ncolumns entries, valid during the
 * call); a status other than JX_OK from fn stops and is returned.
 */
typedef enum jx_status (*jx_row_fn)(void *ctx, const struct jx_value *values,
                                    struct jx_err *err);
enum jx_status jx_store_rows(struct jx_store *st, enum jx_kind kind, jx_row_fn fn, void *ctx,
                             struct jx_err *err) JX_MUST_USE;

/* The run run_id of a period, without traces.  JX_ENOTFOUND when there is none. */
enum jx_status jx_store_get_results_of(struct jx_store *st, const char *period,
                                       const char *run_id, struct jx_run_record *run,
                                       struct jx_err *err) JX_MUST_USE;

/*
 * The runs of a period, newest first, as a JSON array of {id, created_at,
 * created_by, plans, people} (the caller frees *json).
 */
enum jx_status jx_store_runs(struct jx_store *st, const char *period, char **json,
                             struct jx_err *err) JX_MUST_USE;

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

/*
 * The appraisal workflow (domain.md §6): a period's results are a draft until
 * published; published, they take appeals for a window of working days; when
 * the window has closed and every appeal is decided, the period is final.
 * Publishing copies each person's result into a version history
 * (result_versions); an accepted appeal that changes a grade adds a version.
 * Nothing here computes dates: the caller computes the deadlines with the
 * working-day calendar (core/calendar.h) and passes them in.  Times are text
 * "YYYY-MM-DD HH:MM" (Asia/Shanghai), dates "YYYY-MM-DD"; both compare as
 * strings.  Each write is one transaction (the caller must not have one open)
 * with its audit log entry.
 */

/* Default deadlines, in working days (domain.md §6 Workflow). */
#define JX_APPEAL_WINDOW_DAYS 5  /* appeals until the end of the 5th working day */
#define JX_APPEAL_ANSWER_DAYS 10 /* HR answers within 10 working days of filing */
#define JX_INTERVIEW_DAYS 3      /* the interview within 3 working days of publishing */

/* One publication of a period. */
struct jx_publication {
    int number;                /* 1 for the period's first publication, 2... */
    const char *period;
    const char *run_id;        /* the run published */
    const char *published_at;  /* time */
    const char *published_by;
    const char *window_closes; /* date: appeals are taken until the end of this day */
    const char *interview_due; /* time */
    int appeal_days, answer_days, interview_days; /* the deadlines in working days */
    long npeople;              /* results published (output only) */
};

enum jx_appeal_status { JX_APPEAL_OPEN, JX_APPEAL_ACCEPTED, JX_APPEAL_REJECTED };

/* One appeal (申诉) against a person's published result. */
struct jx_appeal {
    long long id;
    const char *period;
    int publication;              /* number of the publication it was filed against */
    const char *person_id;
    const char *reason;
    const char *filed_at;         /* time */
    const char *filed_by;
    const char *due;              /* time HR's answer is due */
    enum jx_appeal_status status;
    const char *decision_reason;  /* NULL while open */
    const char *grade;            /* new grade of an accepted appeal, or NULL */
    const char *decided_at;       /* NULL while open */
    const char *decided_by;       /* NULL while open */
    int version;                  /* result version the decision made, 0 if none */
};

/* What the store holds about a period's workflow. */
struct jx_workflow {
    const char *period;
    const char *newest_run;        /* id of the period's newest run, NULL when none */
    struct jx_publication *pubs;   /* oldest first; pubs[npubs - 1] is the current one */
    size_t npubs;
    struct jx_appeal *appeals;     /* by id */
    size_t nappeals;
    void *arena;                   /* owner of everything above */
};

/*
 * Publish the newest run of pub->period.  The caller fills period,
 * published_at, published_by, window_closes, interview_due and the three
 * day counts; run_id and number are ignored (the store picks the newest run
 * and numbers the publication).  *published is false, and nothing is
 * written, when that run is already the period's current publication.
 * JX_ENOTFOUND when the period has no run; JX_EINPUT when published_at is
 * before the current publication.  A locked period can be published.
 */
enum jx_status jx_store_publish(struct jx_store *st, const struct jx_publication *pub,
                                bool *published, struct jx_err *err) JX_MUST_USE;

/*
 * Read a period's workflow into *wf (release with jx_workflow_release()).  A
 * period never published has npubs == 0 (that is not an error).
 */
enum jx_status jx_store_workflow(struct jx_store *st, const char *period, struct jx_workflow *wf,
                                 struct jx_err *err) JX_MUST_USE;

void jx_workflow_release(struct jx_workflow *wf);

/*
 * The period of appeal id into buf (at least 16 bytes: JX_PERIOD_BUFSZ of core/date.h);
 * JX_ENOTFOUND when there is no such appeal.
 */
enum jx_status jx_store_appeal_period(struct jx_store *st, long long id, char *buf,
                                     struct jx_err *err) JX_MUST_USE;

/*
 * File an appeal: the caller fills period, publication (the number of the
 * current publication the deadlines were computed from), person_id, reason,
 * filed_at, filed_by and due.  Refused with JX_ENOTFOUND for an unknown
 * person, and with JX_EINPUT when the period is not published, when it was
 * published again meanwhile, when filed_at is before the publication or
 * after its window (the message names the closing date; "final" when no
 * appeal is open), when the person has no published result, or already has
 * an open appeal.  *id receives the new appeal's id.
 */
enum jx_status jx_store_appeal_add(struct jx_store *st, const struct jx_appeal *ap,
                                   long long *id, struct jx_err *err) JX_MUST_USE;

/* HR's decision on an appeal. */
struct jx_appeal_decision {
    long long id;
    bool accept;
    const char *reason;
    const char *grade;       /* with accept only: the new grade (S, A, B, C or D), or NULL */
    const char *decided_at;  /* time */
    const char *decided_by;
};

/*
 * Record a decision.  With a grade, the person's newest published result
 * gets a new version: a copy with score.grade replaced (score.
 * grade_before_calibration and everything else kept), the reason recorded;
 * *version (may be NULL) receives its number, 0 when no version was made.
 * JX_ENOTFOUND for an unknown appeal; JX_EINPUT when it was already decided,
 * decided_at is before filed_at, the grade is not S/A/B/C/D or given with a
 * rejection, or the result has no grade (no scorecard).
 */
enum jx_status jx_store_appeal_decide(struct jx_store *st, const struct jx_appeal_decision *d,
                                      int *version, struct jx_err *err) JX_MUST_USE;

/* One version of a person's published result. */
struct jx_result_version {
    const char *person_id;
    int version;            /* 1, 2... per person and period */
    int publication;        /* number of the publication it belongs to */
    const char *run_id;
    long long appeal_id;    /* the appeal whose decision made it, 0 for a publication */
    const char *result;     /* JSON object, as `results --format json` prints a person */
    const char *reason;     /* "published", "published again (run ...)", or the decision's reason */
    const char *at;         /* time */
    const char *by;
};

struct jx_result_versions {
    struct jx_result_version *v; /* by person id (byte order), then version */
    size_t n;
    void *arena;
};

/*
 * Every published version of the results of a period: of one person when
 * person_id is not NULL, of everyone otherwise; none (n == 0) when the period
 * was never published.  The period's published results are, per person, the
 * newest version whose publication is the current one (jx_store_workflow():
 * pubs[npubs - 1].number); a person missing from the current publication's
 * run has only older versions.  Results and explain show a person's version
 * number, and for a version made by an appeal (appeal_id != 0) its reason.
 * Release with jx_result_versions_release().
 */
enum jx_status jx_store_result_versions(struct jx_store *st, const char *period,
                                        const char *person_id, struct jx_result_versions *out,
                                        struct jx_err *err) JX_MUST_USE;

void jx_result_versions_release(struct jx_result_versions *out);

enum jx_workflow_state { JX_WF_DRAFT, JX_WF_PUBLISHED, JX_WF_FINAL };

/*
 * The state of a period as of time now: draft (never published), published,
 * or final (the current publication's window has closed and no appeal is
 * open).
 */
enum jx_workflow_state jx_workflow_state(const struct jx_workflow *wf, const char *now);

/* Name of a state: "draft", "published", "final". */
const char *jx_workflow_state_name(enum jx_workflow_state s);

/* Whether the current publication's appeal window is still open at time now. */
bool jx_workflow_window_open(const struct jx_workflow *wf, const char *now);

/* Name of an appeal status: "open", "accepted", "rejected". */
const char *jx_appeal_status_name(enum jx_appeal_status s);

/* Late as of now: still open after its due time, or decided after it. */
bool jx_appeal_late(const struct jx_appeal *a, const char *now);

/*
 * Deadlines with the working-day calendar: of a publication at time t
 * (p->appeal_days and p->interview_days set; fills p->window_closes into
 * closes, JX_DATE_BUFSZ, and p->interview_due into due, JX_TIME_BUFSZ), and
 * of HR's answer to an appeal filed at filed (days working days later, same
 * clock time, into due).
 */
enum jx_status jx_workflow_deadlines(int64_t t, struct jx_publication *p, char *closes, char *due,
                                     struct jx_err *err) JX_MUST_USE;
enum jx_status jx_workflow_answer_due(int64_t filed, int days, char *due,
                                      struct jx_err *err) JX_MUST_USE;

/* ---- users and sessions of the web application ---------------------------- */

#define JX_USER_NAME_MAX 64

struct jx_user {
    char name[JX_USER_NAME_MAX + 1];
    char role[16];                        /* rep manager director hr finance engineer admin */
    char person_id[JX_USER_NAME_MAX + 1]; /* "" when the user is not a person */
    char pw_hash[128];                    /* argon2id, crypto_pwhash_str() format */
    bool disabled;
};

/*
 * Create (create: a new name, JX_EEXISTS-like JX_EINPUT when taken) or update
 * (the password hash and the disabled flag) a user, audited as who.
 */
enum jx_status jx_store_user_put(struct jx_store *st, const struct jx_user *u, bool create,
                                 const char *who, struct jx_err *err) JX_MUST_USE;

/* The user called name into *u; JX_ENOTFOUND when there is none. */
enum jx_status jx_store_user_get(struct jx_store *st, const char *name, struct jx_user *u,
                                 struct jx_err *err) JX_MUST_USE;

/* Every user, by name, into *out (the caller frees it with free()). */
enum jx_status jx_store_user_list(struct jx_store *st, struct jx_user **out, size_t *n,
                                  struct jx_err *err) JX_MUST_USE;

struct jx_session {
    char user[JX_USER_NAME_MAX + 1];
    char csrf[65];
    long long created, last_seen; /* unix seconds */
};

/* Sessions, by the hex BLAKE2b hash of their token (the token itself is never stored). */
enum jx_status jx_store_session_put(struct jx_store *st, const char *token_hash,
                                    const struct jx_session *s, struct jx_err *err) JX_MUST_USE;
enum jx_status jx_store_session_get(struct jx_store *st, const char *token_hash,
                                    struct jx_session *s, struct jx_err *err) JX_MUST_USE;
enum jx_status jx_store_session_touch(struct jx_store *st, const char *token_hash, long long now,
                                      struct jx_err *err) JX_MUST_USE;
enum jx_status jx_store_session_delete(struct jx_store *st, const char *token_hash,
                                       struct jx_err *err) JX_MUST_USE;

/*
 * The organisation as the web application needs it (who may see whom):
 * people and units only, strings "" when none.  Release with jx_org_release().
 */
struct jx_org {
    size_t npeople, nunits;
    const char **pid, **pname, **punit, **prole, **pmanager;
    const char **uid, **uparent;
    void *arena;
};
enum jx_status jx_store_org(struct jx_store *st, struct jx_org *org,
                            struct jx_err *err) JX_MUST_USE;
void jx_org_release(struct jx_org *org);

/* The periods that have a run, newest first, with the newest run and its state. */
struct jx_period_info {
    char period[16];
    char run[24];
    bool locked, published;
};
enum jx_status jx_store_periods(struct jx_store *st, struct jx_period_info **out, size_t *n,
                                struct jx_err *err) JX_MUST_USE;

/*
 * The newest limit entries of the audit log, newest first, as a JSON array
 * of {seq, at, who, action, what, before, after} (the caller frees *json).
 */
enum jx_status jx_store_audit_list(struct jx_store *st, long limit, char **json,
                                   struct jx_err *err) JX_MUST_USE;

/* Record a failed login of user at now; *n = the failures since since (both unix seconds). */
enum jx_status jx_store_login_failure(struct jx_store *st, const char *user, long long now,
                                      struct jx_err *err) JX_MUST_USE;
enum jx_status jx_store_login_failures(struct jx_store *st, const char *user, long long since,
                                       long *n, struct jx_err *err) JX_MUST_USE;

#endif
