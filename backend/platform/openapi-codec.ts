/**
 * The protobuf messages that carry WeChat open-API calls between a cloud function and
 * CloudBase (`wx.openApi`), as wx-server-sdk sends them:
 *   CommApiData { int32 apiType = 1; OpenApiData openapiData = 2; string appid = 3 }
 *   OpenApiData { repeated KeyValuePair pairs = 1 }   KeyValuePair { string key = 1; bytes value = 2 }
 *   CommOpenApiResp { bytes respData = 1; string contentType = 2; int32 errorCode = 3 }
 * Only the fields we use are encoded; unknown fields are skipped when decoding.
 */

function varint(value: number): number[] {
  const bytes: number[] = []
  let rest = value >>> 0
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80)
    rest >>>= 7
  }
  bytes.push(rest)
  return bytes
}

function field(number: number, payload: Buffer): Buffer {
  return Buffer.concat([Buffer.from([(number << 3) | 2, ...varint(payload.length)]), payload])
}

function varintField(number: number, value: number): Buffer {
  return Buffer.from([number << 3, ...varint(value)])
}

interface RawField {
  number: number
  value: number | Buffer
}

function readFields(buffer: Buffer): RawField[] {
  const fields: RawField[] = []
  let offset = 0
  const readVarint = () => {
    let result = 0
    let shift = 0
    for (;;) {
      const byte = buffer[offset++]
      if (byte === undefined) throw new Error('truncated protobuf')
      result += (byte & 0x7f) * 2 ** shift
      if (byte < 0x80) return result
      shift += 7
    }
  }
  while (offset < buffer.length) {
    const key = readVarint()
    const number = Math.floor(key / 8)
    const wireType = key & 7
    if (wireType === 0) fields.push({ number, value: readVarint() })
    else if (wireType === 2) {
      const length = readVarint()
      fields.push({ number, value: buffer.subarray(offset, offset + length) })
      offset += length
    } else throw new Error(`unsupported protobuf wire type ${wireType}`)
  }
  return fields
}

export function encodeOpenApiRequest(data: Record<string, unknown>): Buffer {
  const pairs = Object.entries(data)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => field(1, Buffer.concat([field(1, Buffer.from(key)), field(2, Buffer.from(JSON.stringify(value)))])))
  return Buffer.concat([varintField(1, 0), field(2, Buffer.concat(pairs))])
}

export function decodeOpenApiRequest(buffer: Buffer): Record<string, unknown> {
  const data: Record<string, unknown> = {}
  for (const top of readFields(buffer)) {
    if (top.number !== 2 || !Buffer.isBuffer(top.value)) continue
    for (const pair of readFields(top.value)) {
      if (pair.number !== 1 || !Buffer.isBuffer(pair.value)) continue
      const parts = readFields(pair.value)
      const key = parts.find((part) => part.number === 1)?.value
      const value = parts.find((part) => part.number === 2)?.value
      if (Buffer.isBuffer(key) && Buffer.isBuffer(value)) data[key.toString()] = JSON.parse(value.toString())
    }
  }
  return data
}

export interface OpenApiResponse {
  body: Buffer
  contentType: string
  errorCode: number
}

export function encodeOpenApiResponse(response: OpenApiResponse): Buffer {
  return Buffer.concat([field(1, response.body), field(2, Buffer.from(response.contentType)), varintField(3, response.errorCode)])
}

export function decodeOpenApiResponse(buffer: Buffer): OpenApiResponse {
  const response: OpenApiResponse = { body: Buffer.alloc(0), contentType: '', errorCode: 0 }
  for (const entry of readFields(buffer)) {
    if (entry.number === 1 && Buffer.isBuffer(entry.value)) response.body = Buffer.from(entry.value)
    if (entry.number === 2 && Buffer.isBuffer(entry.value)) response.contentType = entry.value.toString()
    if (entry.number === 3 && typeof entry.value === 'number') response.errorCode = entry.value
  }
  return response
}
