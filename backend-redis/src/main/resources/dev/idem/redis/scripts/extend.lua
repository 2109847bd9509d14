-- Extends the caller's lease, only while the record is IN_PROGRESS with the caller's token.
-- The record's expiry moves out too when the new lease would outlive it.
-- ARGV: token, lease ms, token retention ms.
local token = ARGV[1]
local lease_millis = tonumber(ARGV[2])
local token_retention = tonumber(ARGV[3])

local now = server_clock()
local current, corrupt = read_record(KEYS[1])
if corrupt then
  return corrupt
end
current = live(current, now)

if not held_by(current, token) then
  return {'REJECTED', record_reply(now, current)}
end

local counter, counter_corrupt = read_counter(KEYS[2])
if counter_corrupt then
  return counter_corrupt
end

local lease = cap(now + lease_millis)
local exp = math.max(current.exp, lease)
redis.call('HSET', KEYS[1], 'lease', int(lease), 'exp', int(exp))
redis.call('PEXPIREAT', KEYS[1], int(exp))
keep_counter(KEYS[2], token, counter ~= nil, cap(exp + token_retention), now)

return {'EXTENDED', lease, now}
