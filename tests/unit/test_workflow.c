/*
 * test_workflow.c - the appraisal workflow in the store: publications,
 * appeals, decisions, result versions, the derived state (draft, published,
 * final) and lateness, and the append-only tables.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"

struct fixture {
    char path[64];
    struct jx_store *st;
};

/* A person's result as a run stores it; P1 has a scorecard, P2 none. */
static const char P1_RESULT[] = "{\"id\":\"P1\",\"score\":{\"final\":\"88.40\",\"grade\":\"B\","
                                "\"grade_before_calibration\":\"A\"},\"flags\":[]}";
static const char P2_RESULT[] = "{\"id\":\"P2\",\"score\":null,\"flags\":[]}";

/* Store a run of 2025-09 with id run_id and the two people's results. */
static void save_run(struct jx_store *st, const char *run_id)
{
    struct jx_run_row rows[] = {
        {.person_id = "P1", .result = P1_RESULT, .trace = "[]"},
        {.person_id = "P2", .result = P2_RESULT, .trace = "[]"},
    };
    struct jx_run_record run = {.id = run_id,
                                .period = "2025-09",
                                .plans = "p@1",
                                .input_hash = "h",
                                .created_by = "test",
                                .rows = rows,
                                .nrows = 2};
    struct jx_err err;
    if (jx_store_save_run(st, &run, &err))
        fail_msg("save_run: %s", err.msg);
}

/* Put one row of kind from "col=value" cells (numbers as raw integers). */
static void put(struct jx_store *st, enum jx_kind kind, const char *const *cells)
{
    const struct jx_kind_def *k = &jx_kinds[kind];
    struct jx_value v[32];
    struct jx_err err;
    for (size_t c = 0; c < k->ncolumns; c++)
        v[c] = (struct jx_value){.null = true};
    for (; *cells; cells++) {
        const char *eq = strchr(*cells, '=');
        int c = jx_kind_column(kind, *cells, (size_t)(eq - *cells));
        assert_true(c >= 0);
        v[c] =
            (struct jx_value){.s = eq + 1, .len = strlen(eq + 1), .i = strtoll(eq + 1, NULL, 10)};
    }
    if (jx_store_put(st, kind, v, &err))
        fail_msg("put %s: %s", k->name, err.msg);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    struct jx_err err;
    snprintf(f->path, sizeof f->path, "/tmp/jx-test-workflow-%d.db", (int)getpid());
    unlink(f->path);
    if (jx_store_open(f->path, true, &f->st, &err) || jx_store_migrate(f->st, NULL, NULL, &err) ||
        jx_store_begin(f->st, &err))
        return -1;
    put(f->st, JX_KIND_UNITS, (const char *[]){"id=U1", "name=公司", "kind=company", NULL});
    for (int i = 1; i <= 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "id=P%d", i);
        put(f->st, JX_KIND_PEOPLE,
            (const char *[]){id, "name=x", "unit_id=U1", "role=rep", "hire_date=2025-01-02",
                             "status=regular", "base_salary=500000", NULL});
    }
    if (jx_store_commit(f->st, &err))
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char p[80];
    jx_store_close(f->st);
    unlink(f->path);
    snprintf(p, sizeof p, "%s-wal", f->path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", f->path);
    unlink(p);
    free(f);
    return 0;
}

/* Publish 2025-09 at a time with the S3 deadlines; returns whether something was published. */
static bool publish(struct jx_store *st, const char *at, enum jx_status want)
{
    struct jx_publication pub = {.period = "2025-09",
                                 .published_at = at,
                                 .published_by = "hr",
                                 .window_closes = "2025-10-10",
                                 .interview_due = "2025-09-30 10:00",
                                 .appeal_days = 5,
                                 .answer_days = 10,
                                 .interview_days = 3};
    struct jx_err err;
    bool published = false;
    jx_err_clear(&err);
    enum jx_status s = jx_store_publish(st, &pub, &published, &err);
    if (s != want)
        fail_msg("publish at %s: status %d (%s)", at, (int)s, err.msg);
    return published;
}

/* File an appeal against the current publication; returns its id (0 when refused as wanted). */
static long long add(struct jx_store *st, const char *person, const char *at, int publication,
                     enum jx_status want, const char *msg_part)
{
    struct jx_appeal ap = {.period = "2025-09",
                           .publication = publication,
                           .person_id = person,
                           .reason = "r",
                           .filed_at = at,
                           .filed_by = person,
                           .due = "2025-10-23 23:00"};
    struct jx_err err;
    long long id = 0;
    jx_err_clear(&err);
    enum jx_status s = jx_store_appeal_add(st, &ap, &id, &err);
    if (s != want)
        fail_msg("appeal %s at %s: status %d (%s)", person, at, (int)s, err.msg);
    if (msg_part && !strstr(err.msg, msg_part))
        fail_msg("appeal %s at %s: \"%s\" does not say \"%s\"", person, at, err.msg, msg_part);
    return id;
}

static void publish_and_versions(void **state)
{
    struct fixture *f = *state;
    struct jx_workflow wf;
    struct jx_result_versions vs;
    struct jx_err err;

    /* No run: not found.  A draft has no publication. */
    publish(f->st, "2025-09-26 10:00", JX_ENOTFOUND);
    assert_int_equal(jx_store_workflow(f->st, "2025-09", &wf, &err), JX_OK);
    assert_int_equal(wf.npubs, 0);
    assert_null(wf.newest_run);
    assert_int_equal(jx_workflow_state(&wf, "2025-09-26 10:00"), JX_WF_DRAFT);
    jx_workflow_release(&wf);

    save_run(f->st, "runA");
    assert_true(publish(f->st, "2025-09-26 10:00", JX_OK));
    assert_false(publish(f->st, "2025-09-27 10:00", JX_OK)); /* the same run: a no-op */
    assert_int_equal(jx_store_workflow(f->st, "2025-09", &wf, &err), JX_OK);
    assert_int_equal(wf.npubs, 1);
    assert_int_equal(wf.pubs[0].number, 1);
    assert_string_equal(wf.pubs[0].run_id, "runA");
    assert_string_equal(wf.pubs[0].window_closes, "2025-10-10");
    assert_int_equal(wf.pubs[0].npeople, 2);
    assert_string_equal(wf.newest_run, "runA");
    assert_int_equal(jx_workflow_state(&wf, "2025-10-10 23:59"), JX_WF_PUBLISHED);
    assert_true(jx_workflow_window_open(&wf, "2025-10-10 23:59"));
    assert_false(jx_workflow_window_open(&wf, "2025-10-11 00:00"));
    assert_int_equal(jx_workflow_state(&wf, "2025-10-11 00:00"), JX_WF_FINAL);
    jx_workflow_release(&wf);

    /* A newer run: published again, but not dated before the current publication. */
    save_run(f->st, "runB");
    publish(f->st, "2025-09-26 09:00", JX_EINPUT);
    assert_true(publish(f->st, "2025-09-27 10:00", JX_OK));
    assert_int_equal(jx_store_result_versions(f->st, "2025-09", NULL, &vs, &err), JX_OK);
    assert_int_equal(vs.n, 4);
    assert_string_equal(vs.v[0].person_id, "P1");
    assert_int_equal(vs.v[0].version, 1);
    assert_int_equal(vs.v[1].version, 2);
    assert_int_equal(vs.v[1].publication, 2);
    assert_string_equal(vs.v[1].run_id, "runB");
    assert_string_equal(vs.v[1].reason, "published again (publication 2)");
    assert_string_equal(vs.v[1].result, P1_RESULT);
    assert_string_equal(vs.v[2].person_id, "P2");
    jx_result_versions_release(&vs);
    assert_int_equal(jx_store_result_versions(f->st, "2025-08", NULL, &vs, &err), JX_OK);
    assert_int_equal(vs.n, 0);
    jx_result_versions_release(&vs);
}

static void appeals_and_decisions(void **state)
{
    struct fixture *f = *state;
    struct jx_workflow wf;
    struct jx_result_versions vs;
    struct jx_err err;
    int version = -1;
    char period[16];

    save_run(f->st, "runA");
    add(f->st, "P1", "2025-09-29 09:30", 1, JX_EINPUT, "not published");
    publish(f->st, "2025-09-26 10:00", JX_OK);
    add(f->st, "P9", "2025-09-29 09:30", 1, JX_ENOTFOUND, "unknown person P9");
    add(f->st, "P3", "2025-09-29 09:30", 1, JX_EINPUT, "no published result");
    add(f->st, "P1", "2025-09-26 09:59", 1, JX_EINPUT, "before");
    add(f->st, "P1", "2025-10-11 09:00", 1, JX_EINPUT, "closed at the end of 2025-10-10");
    add(f->st, "P1", "2025-10-10 23:00", 2, JX_EINPUT, "published again");
    long long a1 = add(f->st, "P1", "2025-10-10 23:00", 1, JX_OK, NULL);
    add(f->st, "P1", "2025-10-10 23:30", 1, JX_EINPUT, "already has an open appeal");
    long long a2 = add(f->st, "P2", "2025-09-29 09:30", 1, JX_OK, NULL);
    assert_true(a1 > 0 && a2 > a1);
    assert_int_equal(jx_store_appeal_period(f->st, a2, period, &err), JX_OK);
    assert_string_equal(period, "2025-09");
    assert_int_equal(jx_store_appeal_period(f->st, 99, period, &err), JX_ENOTFOUND);

    /* Grade checks: none on a rejection, none to change without a scorecard, a real grade. */
    struct jx_appeal_decision d = {.id = a1,
                                   .accept = false,
                                   .reason = "no",
                                   .grade = "A",
                                   .decided_at = "2025-10-20 15:00",
                                   .decided_by = "hr"};
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_EINPUT);
    d.accept = true;
    d.grade = "E";
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_EINPUT);
    d.grade = "B";
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_EINPUT);
    assert_non_null(strstr(err.msg, "already B"));
    d.grade = "A";
    d.decided_at = "2025-10-10 22:00";
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_EINPUT);
    d.decided_at = "2025-10-20 15:00";
    d.id = 99;
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_ENOTFOUND);
    d.id = a2;
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_EINPUT);
    assert_non_null(strstr(err.msg, "no grade"));

    d.id = a1;
    d.reason = "复核后上调";
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_OK);
    assert_int_equal(version, 2);
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_EINPUT);
    assert_non_null(strstr(err.msg, "already decided"));

    assert_int_equal(jx_store_result_versions(f->st, "2025-09", "P1", &vs, &err), JX_OK);
    assert_int_equal(vs.n, 2);
    assert_int_equal(vs.v[1].version, 2);
    assert_int_equal(vs.v[1].appeal_id, a1);
    assert_string_equal(vs.v[1].reason, "复核后上调");
    assert_string_equal(vs.v[1].at, "2025-10-20 15:00");
    assert_non_null(strstr(vs.v[1].result, "\"grade\":\"A\""));
    assert_non_null(strstr(vs.v[1].result, "\"grade_before_calibration\":\"A\""));
    assert_non_null(strstr(vs.v[0].result, "\"grade\":\"B\""));
    jx_result_versions_release(&vs);

    /* Lateness and the final state. */
    assert_int_equal(jx_store_workflow(f->st, "2025-09", &wf, &err), JX_OK);
    assert_int_equal(wf.nappeals, 2);
    assert_int_equal(wf.appeals[0].status, JX_APPEAL_ACCEPTED);
    assert_int_equal(wf.appeals[0].version, 2);
    assert_string_equal(wf.appeals[0].grade, "A");
    assert_int_equal(wf.appeals[1].status, JX_APPEAL_OPEN);
    assert_null(wf.appeals[1].decided_at);
    assert_false(jx_appeal_late(&wf.appeals[0], "2025-12-01 00:00"));
    assert_false(jx_appeal_late(&wf.appeals[1], "2025-10-23 23:00"));
    assert_true(jx_appeal_late(&wf.appeals[1], "2025-10-23 23:01"));
    assert_int_equal(jx_workflow_state(&wf, "2025-10-24 00:00"), JX_WF_PUBLISHED);
    jx_workflow_release(&wf);
    d = (struct jx_appeal_decision){.id = a2, .reason = "no", .decided_at = "2025-10-24 09:00"};
    assert_int_equal(jx_store_appeal_decide(f->st, &d, &version, &err), JX_OK);
    assert_int_equal(version, 0);
    assert_int_equal(jx_store_workflow(f->st, "2025-09", &wf, &err), JX_OK);
    assert_true(jx_appeal_late(&wf.appeals[1], "2025-10-24 09:00"));
    assert_int_equal(jx_workflow_state(&wf, "2025-10-24 09:00"), JX_WF_FINAL);
    jx_workflow_release(&wf);
    add(f->st, "P1", "2025-10-24 10:00", 1, JX_EINPUT, "the period is final");
}

static void append_only(void **state)
{
    struct fixture *f = *state;
    struct jx_err err;
    sqlite3 *db;
    save_run(f->st, "runA");
    publish(f->st, "2025-09-26 10:00", JX_OK);
    long long a = add(f->st, "P2", "2025-09-29 09:30", 1, JX_OK, NULL);
    struct jx_appeal_decision d = {.id = a, .reason = "no", .decided_at = "2025-10-09 09:00"};
    assert_int_equal(jx_store_appeal_decide(f->st, &d, NULL, &err), JX_OK);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    static const char *const refused[] = {
        "UPDATE result_versions SET reason = 'x'",  "DELETE FROM result_versions",
        "UPDATE publications SET run_id = 'x'",     "DELETE FROM publications",
        "UPDATE appeals SET decision = 'accepted'", "DELETE FROM appeals"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        assert_int_not_equal(sqlite3_exec(db, refused[i], NULL, NULL, NULL), SQLITE_OK);
    /* Every write was audited. */
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT group_concat(action, ',') FROM (SELECT action "
                                        "FROM audit_log WHERE action != 'run' ORDER BY seq)",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "publish,appeal,appeal.decide");
    sqlite3_finalize(q);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(publish_and_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(appeals_and_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(append_only, setup, teardown),
    };
    return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
