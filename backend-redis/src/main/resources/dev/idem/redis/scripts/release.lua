-- Deletes the caller's own IN_PROGRESS claim. The counter stays, so the next claim gets a
-- higher token. ARGV: token.
local token = ARGV[1]

local now = server_clock()
local current, corrupt = read_record(KEYS[1])
if corrupt then
  return corrupt
end
current = live(current, now)

if not held_by(current, token) then
  return {'NOT_HELD', now}
end

redis.call('DEL', KEYS[1])
return {'RELEASED', now}
