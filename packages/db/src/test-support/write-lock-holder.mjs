// A second process that holds an SQLite file's write lock: opens argv[2], begins an IMMEDIATE transaction,
// prints "locked", and holds it until its standard input ends (the test closes it, or dies).
import BetterSqlite3 from "better-sqlite3";

const database = new BetterSqlite3(process.argv[2] ?? "", { fileMustExist: true });
database.exec("begin immediate");
process.stdout.write("locked\n");
process.stdin.resume();
process.stdin.on("end", () => {
  database.exec("rollback");
  database.close();
});
