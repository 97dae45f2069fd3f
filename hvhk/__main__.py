from hvhk.cli import console

console()
