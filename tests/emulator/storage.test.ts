/**
 * Cloud storage conformance through the real @cloudbase/node-sdk: uploadFile (Buffer and
 * fs.ReadStream), getTempFileURL + a plain HTTP fetch, downloadFile, getFileInfo, copyFile,
 * deleteFile, and the failures as CloudBase / COS answer them (missing file, deleted file,
 * expired and forged links, a forged upload), and files surviving a restart on the same data dir.
 */
import fs from 'node:fs'
import path from 'node:path'
import { moveClock } from '../support/functions'
import { makeTempDir, startTestEmulator, type TestEmulator } from '../support/emulator'

type App = ReturnType<TestEmulator['app']>

async function failure(promise: Promise<unknown>): Promise<{ code?: unknown; message?: string }> {
  try {
    await promise
  } catch (error) {
    return error as { code?: unknown; message?: string }
  }
  throw new Error('expected a failure')
}

describe('cloud storage', () => {
  const dataDir = makeTempDir('emulator-storage-')
  let emulator: TestEmulator
  let app: App

  beforeAll(async () => {
    emulator = await startTestEmulator({ dataDir })
    app = emulator.app()
  })

  afterAll(async () => {
    await emulator?.stop()
    fs.rmSync(dataDir, { recursive: true, force: true })
  })

  test('upload bytes, get a temporary URL, fetch it over HTTP and downloadFile', async () => {
    const bytes = Buffer.from('会员,积分\n张三,120\n', 'utf8')
    const { fileID } = await app.uploadFile({ cloudPath: 'reports/会员 列表.csv', fileContent: bytes })
    expect(fileID).toMatch(/^cloud:\/\/local\.[0-9a-f]+-local-\d+\/reports\/会员 列表\.csv$/)

    const { fileList } = await app.getTempFileURL({ fileList: [{ fileID, maxAge: 120 }] })
    expect(fileList).toEqual([{ fileID, code: 'SUCCESS', tempFileURL: expect.stringContaining(`${emulator.url}/storage/`) }])
    const response = await fetch(fileList[0].tempFileURL)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv')
    expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes)

    const downloaded = await app.downloadFile({ fileID })
    expect(Buffer.isBuffer(downloaded.fileContent)).toBe(true)
    expect(downloaded.fileContent).toEqual(bytes)

    const [info] = (await app.getFileInfo({ fileList: [fileID] })).fileList
    expect(info).toMatchObject({ code: 'SUCCESS', fileID, size: bytes.length, mime: 'text/csv', fileName: '会员 列表.csv' })
  })

  test('upload a file stream (fs.ReadStream) of 3 MB, download it, replace it', async () => {
    const dir = makeTempDir('storage-stream-')
    try {
      const source = path.join(dir, 'big.bin')
      const content = Buffer.alloc(3 * 1024 * 1024)
      for (let i = 0; i < content.length; i++) content[i] = (i * 31 + 7) & 0xff
      fs.writeFileSync(source, content)
      const { fileID } = await app.uploadFile({ cloudPath: 'blobs/big.bin', fileContent: fs.createReadStream(source) })
      const downloaded = (await app.downloadFile({ fileID })).fileContent as Buffer
      expect(downloaded.length).toBe(content.length)
      expect(downloaded.equals(content)).toBe(true) // (toEqual walks 3 MB byte by byte)
      // replacing a file: the same cloud path, new content
      const { fileID: again } = await app.uploadFile({ cloudPath: 'blobs/big.bin', fileContent: Buffer.from('small') })
      expect(again).toBe(fileID)
      expect((await app.downloadFile({ fileID })).fileContent).toEqual(Buffer.from('small'))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })

  test('a missing file: getTempFileURL answers STORAGE_FILE_NONEXIST for it, downloadFile and deleteFile fail', async () => {
    const { fileID } = await app.uploadFile({ cloudPath: 'x/present.txt', fileContent: Buffer.from('here') })
    const missing = fileID.replace('present.txt', 'absent.txt')
    const { fileList } = await app.getTempFileURL({ fileList: [fileID, missing] })
    expect(fileList[0].code).toBe('SUCCESS')
    expect(fileList[1]).toMatchObject({ fileID: missing, code: 'STORAGE_FILE_NONEXIST', tempFileURL: '' })

    expect(await failure(app.downloadFile({ fileID: missing }))).toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
    expect((await app.deleteFile({ fileList: [missing] })).fileList).toEqual([expect.objectContaining({ fileID: missing, code: 'STORAGE_FILE_NONEXIST' })])
    // not a file id at all
    const [bad] = (await app.getTempFileURL({ fileList: ['https://example.com/a.txt'] })).fileList
    expect(bad.code).not.toBe('SUCCESS')
  })

  test('delete: the file is gone; its earlier link answers 404 NoSuchKey, downloadFile STORAGE_FILE_NONEXIST', async () => {
    const { fileID } = await app.uploadFile({ cloudPath: 'tmp/to-delete.txt', fileContent: Buffer.from('bye') })
    const [{ tempFileURL }] = (await app.getTempFileURL({ fileList: [fileID] })).fileList
    expect((await fetch(tempFileURL)).status).toBe(200)

    expect((await app.deleteFile({ fileList: [fileID] })).fileList).toEqual([{ fileID, code: 'SUCCESS' }])

    const response = await fetch(tempFileURL)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('application/xml')
    expect(await response.text()).toMatch(/<Code>NoSuchKey<\/Code>/)
    expect(await failure(app.downloadFile({ fileID }))).toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
    expect((await app.getTempFileURL({ fileList: [fileID] })).fileList[0].code).toBe('STORAGE_FILE_NONEXIST')
  })

  test('a link is refused after its max_age (403 AccessDenied, XML), and a forged or altered link is refused', async () => {
    const { fileID } = await app.uploadFile({ cloudPath: 'tmp/short-lived.txt', fileContent: Buffer.from('soon gone') })
    const [{ tempFileURL }] = (await app.getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] })).fileList
    expect((await fetch(tempFileURL)).status).toBe(200)

    const forged = new URL(tempFileURL)
    forged.searchParams.set('t', String(Number(forged.searchParams.get('t')) + 86_400)) // stretch the expiry
    const stretched = await fetch(forged)
    expect(stretched.status).toBe(403)
    expect(await stretched.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/)
    const unsigned = await fetch(tempFileURL.split('?')[0])
    expect(unsigned.status).toBe(403)
    const otherFile = await fetch(tempFileURL.replace('short-lived.txt', 'present.txt'))
    expect(otherFile.status).toBe(403)

    await moveClock(emulator.url, { advanceMs: 61_000 })
    try {
      const expired = await fetch(tempFileURL)
      expect(expired.status).toBe(403)
      const body = await expired.text()
      expect(body).toMatch(/^<\?xml/)
      expect(body).toMatch(/<Code>AccessDenied<\/Code>/)
      expect(body).toMatch(/<Message>Request has expired<\/Message>/)
      // a new link works again
      const [{ tempFileURL: fresh }] = (await app.getTempFileURL({ fileList: [{ fileID, maxAge: 60 }] })).fileList
      expect((await fetch(fresh)).status).toBe(200)
    } finally {
      await moveClock(emulator.url, { reset: true })
    }
  })

  test('an upload PUT without the authorization getUploadMetadata issued is refused with a COS XML error and stores nothing', async () => {
    const meta = await app.getUploadMetadata({ cloudPath: 'tmp/forged.txt' })
    // the signature with its first digit changed (to another digit, whatever it was)
    const forgedAuthorization = meta.data.authorization.replace(/q-signature=(\w)/, (_whole: string, first: string) => `q-signature=${first === '0' ? '1' : '0'}`)
    expect(forgedAuthorization).not.toBe(meta.data.authorization)
    const forged = await fetch(meta.data.url, { method: 'PUT', body: 'evil', headers: { authorization: forgedAuthorization } })
    expect(forged.status).toBe(403)
    expect(await forged.text()).toMatch(/<Code>SignatureDoesNotMatch<\/Code>/)
    const other = await app.getUploadMetadata({ cloudPath: 'tmp/other.txt' })
    const wrongPath = await fetch(meta.data.url, { method: 'PUT', body: 'evil', headers: { authorization: other.data.authorization } })
    expect(wrongPath.status).toBe(403)
    expect((await app.getTempFileURL({ fileList: [meta.data.fileId] })).fileList[0].code).toBe('STORAGE_FILE_NONEXIST')

    const ok = await fetch(meta.data.url, { method: 'PUT', body: 'fine', headers: { authorization: meta.data.authorization } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('')
    expect((await app.downloadFile({ fileID: meta.data.fileId })).fileContent).toEqual(Buffer.from('fine'))
  })

  test('copyFile copies (and with removeOriginal moves) a file', async () => {
    const { fileID } = await app.uploadFile({ cloudPath: 'a/copy-me.txt', fileContent: Buffer.from('copied') })
    const dst = fileID.replace('a/copy-me.txt', 'b/copy-me.txt')
    const copied = await app.copyFile({ fileList: [{ srcPath: fileID, dstPath: dst }] })
    expect(copied.fileList).toEqual([expect.objectContaining({ fileId: dst, code: 'SUCCESS' })])
    expect((await app.downloadFile({ fileID: dst })).fileContent).toEqual(Buffer.from('copied'))
    expect((await app.downloadFile({ fileID })).fileContent).toEqual(Buffer.from('copied'))

    const moved = fileID.replace('a/copy-me.txt', 'c/copy-me.txt')
    await app.copyFile({ fileList: [{ srcPath: fileID, dstPath: moved, removeOriginal: true }] })
    expect((await app.downloadFile({ fileID: moved })).fileContent).toEqual(Buffer.from('copied'))
    expect(await failure(app.downloadFile({ fileID }))).toMatchObject({ code: 'STORAGE_FILE_NONEXIST' })
  })

  test('files (and links handed out before) survive a restart on the same data dir', async () => {
    const { fileID } = await app.uploadFile({ cloudPath: 'kept/会员.txt', fileContent: Buffer.from('留下') })
    const [{ tempFileURL }] = (await app.getTempFileURL({ fileList: [fileID] })).fileList
    await emulator.stop()
    emulator = await startTestEmulator({ dataDir })
    app = emulator.app()
    expect((await app.downloadFile({ fileID })).fileContent).toEqual(Buffer.from('留下'))
    // the port changed; the same signed path on the new address still verifies
    const moved = new URL(tempFileURL)
    const response = await fetch(`${emulator.url}${moved.pathname}${moved.search}`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('留下')
  })
})
