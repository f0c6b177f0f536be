// Package xlsx is beifen's one door to github.com/xuri/excelize/v2: it reads lead import
// workbooks (DecodeLeads) as a stream, one row at a time, so that a sheet of a million rows
// is read in bounded memory.
package xlsx
