/* The floor under the large-file case: SQLite alone inserting the same rows into the same
 * table (WAL, synchronous=FULL, one transaction, one prepared statement), from C, with the
 * file already in memory. No pipeline can load these rows faster through SQLite.
 * Usage: sqlite_floor INPUT.csv DB.sqlite  → prints the seconds the insert took. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: sqlite_floor INPUT.csv DB.sqlite\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc(size + 1);
    if (fread(text, 1, size, f) != (size_t)size) { perror("read"); return 1; }
    text[size] = 0;
    fclose(f);
    sqlite3 *db;
    if (sqlite3_open(argv[2], &db) != SQLITE_OK) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
    sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                     "CREATE TABLE lignes (Date TEXT, Produit TEXT, Quantite INTEGER, Montant TEXT, Magasin TEXT)", 0, 0, 0);
    sqlite3_stmt *insert;
    sqlite3_prepare_v2(db, "INSERT INTO lignes VALUES (?, ?, ?, ?, ?)", -1, &insert, 0);
    double start = seconds();
    sqlite3_exec(db, "BEGIN", 0, 0, 0);
    char *line = strchr(text, '\n') + 1; /* skip the header */
    while (*line) {
        char *end = strchr(line, '\n');
        if (!end) end = line + strlen(line);
        char *field = line;
        for (int column = 1; column <= 5; column++) {
            char *stop = column < 5 ? memchr(field, ';', end - field) : end;
            if (!stop) stop = end;
            if (column == 3) sqlite3_bind_int64(insert, 3, strtoll(field, 0, 10));
            else sqlite3_bind_text(insert, column, field, (int)(stop - field), SQLITE_STATIC);
            field = stop + 1;
        }
        if (sqlite3_step(insert) != SQLITE_DONE) { fprintf(stderr, "%s\n", sqlite3_errmsg(db)); return 1; }
        sqlite3_reset(insert);
        line = *end ? end + 1 : end;
    }
    sqlite3_exec(db, "COMMIT", 0, 0, 0);
    printf("%.3f\n", seconds() - start);
    sqlite3_finalize(insert);
    sqlite3_close(db);
    return 0;
}
