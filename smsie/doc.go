// Package smsie reads the exports of the Android app SMS Import/Export (tmo1/sms-ie) and hands
// what it finds to a beifen.ExportSink under SMS Backup & Restore names, so that everything
// beifen keeps can be restored as SB&R XML:
//
//   - messages-YYYY-MM-DD.zip (app 2.0 and later): messages.ndjson plus the MMS part files
//     under data/;
//   - messages-*.json (app before 2.0): one array, media inline as base64;
//   - calls-YYYY-MM-DD.json, bare or inside a zip;
//   - contacts-YYYY-MM-DD.json, mapped to vCard 3.0 properties.
//
// Every read is bounded by Limits: a zip bomb or a runaway line is refused with an ETOOLARGE
// error instead of filling memory. Item-level problems (a broken line, a missing part file)
// are reported through ExportSink.Skip and reading goes on.
package smsie
