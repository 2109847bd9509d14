-- Helpers shared by every Idem script. RedisScripts puts this text in front of each script,
-- so that each script is one self-contained body for EVALSHA.
--
-- KEYS[1] is the record hash and KEYS[2] the fencing-token counter of the same key. Both carry
-- the same hash tag, so they live in one Cluster slot. Replies are arrays whose first element
-- names the outcome, and a value that is not an Idem record gives {'CORRUPT', what, detail}
-- before anything is written, so that the value is never overwritten.

-- Times are capped at 2^52 ms so that they stay exact in Lua's doubles and valid for PEXPIREAT.
local MAX_TIME = 4503599627370496

local FIELDS = {'status', 'token', 'lease', 'exp', 'fp', 'result', 'created', 'completed', 'owner'}

-- Formats an integral number in plain digits, because redis.call would render a large double
-- as 1.7e+12, which Redis rejects as an integer argument.
local function int(n)
  return string.format('%d', n)
end

local function cap(t)
  if t > MAX_TIME then
    return MAX_TIME
  end
  return t
end

local function is_integer(value)
  return type(value) == 'string' and string.match(value, '^%-?%d+$') ~= nil
end

-- Decodes an optional argument: an empty string is absent, anything else carries the value
-- after a one-character '=' marker, so that an empty value stays distinct from none.
local function optional(argument)
  if argument == '' then
    return nil
  end
  return string.sub(argument, 2)
end

-- Returns the server's clock twice: in milliseconds for leases and expiry, and in microseconds
-- to seed a new fencing-token counter.
local function server_clock()
  local time = redis.call('TIME')
  local seconds = tonumber(time[1])
  local micros = tonumber(time[2])
  return seconds * 1000 + math.floor(micros / 1000), seconds * 1000000 + micros
end

-- Reads the record at key with one HGETALL rather than TYPE and HMGET, because each redis.call
-- adds server time of its own (about 0.5 to 1 microsecond on Redis 7.0). Returns nil when the
-- key is absent, the record as a table, or nil and a CORRUPT reply for any other value.
local function read_record(key)
  local flat = redis.pcall('HGETALL', key)
  if flat.err then
    return nil, {'CORRUPT', 'type', redis.call('TYPE', key)['ok']}
  end
  if #flat == 0 then
    return nil
  end

  local stored = {}
  for index = 1, #flat, 2 do
    stored[flat[index]] = flat[index + 1]
  end
  -- A missing field reads as false, as HMGET would return it, so that replies keep their shape.
  local values = {}
  for index, name in ipairs(FIELDS) do
    values[index] = stored[name] or false
  end

  local status = values[1]
  if status ~= 'IN_PROGRESS' and status ~= 'COMPLETED' then
    return nil, {'CORRUPT', 'field', 'status'}
  end
  for _, index in ipairs({2, 3, 4, 7, 8}) do
    if not is_integer(values[index]) then
      return nil, {'CORRUPT', 'field', FIELDS[index]}
    end
  end
  if status == 'COMPLETED' and not values[6] then
    return nil, {'CORRUPT', 'field', 'result'}
  end

  return {
    values = values,
    status = status,
    token = values[2],
    lease = tonumber(values[3]),
    exp = tonumber(values[4]),
    fp = values[5] or nil,
  }
end

-- Drops a record whose retention is over, because such a record is absent for every reader
-- even when Redis has not deleted it yet.
local function live(record, now)
  if record and record.exp <= now then
    return nil
  end
  return record
end

local function held_by(record, token)
  return record ~= nil and record.status == 'IN_PROGRESS' and record.token == token
end

local function record_reply(now, record)
  if not record then
    return {'NONE', now}
  end
  local reply = {'RECORD', now}
  for index = 1, #FIELDS do
    reply[index + 2] = record.values[index]
  end
  return reply
end

-- Checks that the counter key is absent or an integer string. Returns its value (nil when
-- absent), or nil and a CORRUPT reply.
local function read_counter(key)
  local value = redis.pcall('GET', key)
  if type(value) == 'table' and value.err then
    return nil, {'CORRUPT', 'counter', redis.call('TYPE', key)['ok']}
  end
  if not value then
    return nil
  end
  if not string.match(value, '^%d+$') then
    return nil, {'CORRUPT', 'counter', 'string'}
  end
  return value
end

-- Returns whether an existing counter must expire later than it does to last until keep_until.
-- A TTL of -1 means that someone made the counter persistent on purpose, which is safe to keep.
local function counter_expires_too_soon(key, keep_until, now)
  local ttl = redis.call('PTTL', key)
  return ttl >= 0 and now + ttl < keep_until
end

-- Stores a claim's new token in the counter and makes the counter last until keep_until,
-- moving its expiry out, never in. One SET does both where it can.
local function write_counter(key, token, existed, keep_until, now)
  if existed and not counter_expires_too_soon(key, keep_until, now) then
    redis.call('SET', key, token, 'KEEPTTL')
    return
  end
  redis.call('SET', key, token, 'PXAT', int(keep_until))
end

-- Makes the counter last until keep_until without changing its value, and creates it with the
-- record's token when it was lost.
local function keep_counter(key, token, existed, keep_until, now)
  if not existed then
    redis.call('SET', key, token, 'PXAT', int(keep_until))
  elseif counter_expires_too_soon(key, keep_until, now) then
    redis.call('PEXPIREAT', key, int(keep_until))
  end
end
