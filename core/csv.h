/* core/csv.h — CSV answers (RFC 4180): which form the client asked for, cells quoted, formulas defused */
#ifndef HZM_CSV_H
#define HZM_CSV_H

#include <stddef.h>

struct buf;
struct req;
struct resp;

/*
 * The client asked for CSV: format=csv in the query, or an Accept header
 * naming text/csv (format=json wins over the header).
 */
int	csv_wanted(const struct req *);

/*
 * One record of n cells, CRLF-terminated. A cell with a comma, a quote or
 * a line break is quoted; one that starts like a spreadsheet formula
 * (=, +, -, @, tab, CR) gets a leading apostrophe unless it is a number,
 * so that an exported name cannot run as a formula. NULL is empty.
 */
void	csv_row(struct buf *, const char *const *cells, size_t n);

/*
 * Answer the buffer as text/csv, offered for download as name.csv; a
 * failed buffer (memory, ceiling) is an internal error.
 */
int	csv_answer(struct resp *, struct buf *, const char *name);

#endif
