// Starts dynalite in memory on a free loopback port for the idem-dynamodb tests.
//
// It prints "dynalite listening on http://127.0.0.1:PORT" once the server accepts connections,
// and exits when its standard input closes, so the server never outlives the JVM that started it.
// Tables become ACTIVE at once instead of after dynalite's default 500 ms, to keep tests short.
'use strict'

const dynalite = require('dynalite')

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })

server.listen(Number(process.env.DYNALITE_PORT || 0), '127.0.0.1', () => {
  const address = server.address()
  console.log('dynalite listening on http://127.0.0.1:' + address.port)
})

process.stdin.on('end', () => process.exit(0))
process.stdin.on('error', () => process.exit(0))
process.stdin.resume()
process.on('SIGTERM', () => process.exit(0))
