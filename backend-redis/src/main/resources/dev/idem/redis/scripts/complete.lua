-- Completes a claim: stores the result and makes the record COMPLETED, only while the record
-- is IN_PROGRESS with the caller's token. ARGV: token, result, retention ms, token retention ms.
local token = ARGV[1]
local result = ARGV[2]
local retention_millis = tonumber(ARGV[3])
local token_retention = tonumber(ARGV[4])

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

local exp = cap(now + retention_millis)
redis.call('HSET', KEYS[1], 'status', 'COMPLETED', 'lease', '0', 'exp', int(exp),
  'result', result, 'completed', int(now))
redis.call('PEXPIREAT', KEYS[1], int(exp))
keep_counter(KEYS[2], token, counter ~= nil, cap(exp + token_retention), now)

return {'STORED', exp, now}
