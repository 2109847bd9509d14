-- Claims a key: creates an IN_PROGRESS record when the key is absent or expired, takes over an
-- IN_PROGRESS record whose lease is over and whose fingerprint matches, or returns the record.
-- ARGV: lease ms, retention ms, fingerprint (optional), owner (optional), token retention ms.
local lease_millis = tonumber(ARGV[1])
local retention_millis = tonumber(ARGV[2])
local fingerprint = optional(ARGV[3])
local owner = optional(ARGV[4])
local token_retention = tonumber(ARGV[5])

local now, now_micros = server_clock()
local current, corrupt = read_record(KEYS[1])
if corrupt then
  return corrupt
end
local present = current ~= nil
current = live(current, now)

if current then
  local lease_over = current.status == 'IN_PROGRESS' and current.lease <= now
  local fingerprints_match = current.fp == nil or fingerprint == nil or current.fp == fingerprint
  if not (lease_over and fingerprints_match) then
    return record_reply(now, current)
  end
end

local last_token, counter_corrupt = read_counter(KEYS[2])
if counter_corrupt then
  return counter_corrupt
end

-- A new counter starts from the clock in microseconds rather than from 1, so that a token is
-- not reused after the counter was lost (expiry, restart without persistence, failover).
local token
if last_token then
  token = tonumber(last_token) + 1
else
  token = now_micros
end
if current and tonumber(current.token) >= token then
  token = tonumber(current.token) + 1
end

local lease = cap(now + lease_millis)
local exp = cap(now + math.max(retention_millis, lease_millis))

-- A takeover without a fingerprint keeps the stored one, so later mismatches are still caught.
if not fingerprint and current then
  fingerprint = current.fp
end

-- A key that is present (taken over, or expired but not yet deleted by Redis) is deleted first,
-- so that no field of the previous claim survives. The new record is one HSET.
if present then
  redis.call('DEL', KEYS[1])
end
local write = {'HSET', KEYS[1], 'status', 'IN_PROGRESS', 'token', int(token), 'lease', int(lease),
  'exp', int(exp), 'created', int(now), 'completed', '0'}
if fingerprint then
  table.insert(write, 'fp')
  table.insert(write, fingerprint)
end
if owner then
  table.insert(write, 'owner')
  table.insert(write, owner)
end
redis.call(unpack(write))
redis.call('PEXPIREAT', KEYS[1], int(exp))
write_counter(KEYS[2], int(token), last_token ~= nil, cap(exp + token_retention), now)

local takeover = 0
if current then
  takeover = 1
end
return {'ACQUIRED', token, lease, now, takeover}
