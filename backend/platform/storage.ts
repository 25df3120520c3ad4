/**
 * The storage port: the one place that talks to CloudBase cloud storage (云存储), through the
 * real @cloudbase/node-sdk. Put a file, hand out a temporary download link, delete files.
 *
 *   const files = cloudStorage()              // the function's own CloudBase app
 *   const { fileID } = await files.put('exports/members.xlsx', { file: '/tmp/members.xlsx' })
 *   const { url } = await files.link(fileID, 3600)
 *   await files.remove([fileID])
 *
 * A missing file is a StorageError with code STORAGE_FILE_NONEXIST (CloudBase's code); removing
 * a file that is already gone is not an error.
 */
import fs from 'node:fs'
import { businessNow } from './clock'
import { cloudApp, type CloudApp } from './cloud'

export interface StoredFile {
  fileID: string
  cloudPath: string
}

export interface DownloadLink {
  fileID: string
  url: string
  /** when the link stops working (ms since epoch), as computed when it was asked for */
  expiresAt: number
}

/** Bytes in memory, or a local file streamed from disk (what large exports use). */
export type FileContent = Buffer | { file: string }

export interface FileStorage {
  put(cloudPath: string, content: FileContent): Promise<StoredFile>
  link(fileID: string, maxAgeSeconds?: number): Promise<DownloadLink>
  remove(fileIDs: string[]): Promise<void>
}

export class StorageError extends Error {
  readonly code: string

  constructor(code: string, message: string) {
    super(message)
    this.name = 'StorageError'
    this.code = code
  }
}

export const DEFAULT_LINK_MAX_AGE_S = 3600

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code
  return typeof code === 'string' || typeof code === 'number' ? String(code) : 'STORAGE_REQUEST_FAIL'
}

function rethrow(error: unknown, doing: string): never {
  throw new StorageError(codeOf(error), `${doing}: ${(error as Error)?.message ?? String(error)}`)
}

export function cloudStorage(app: CloudApp = cloudApp()): FileStorage {
  return {
    async put(cloudPath, content) {
      const fileContent = Buffer.isBuffer(content) ? content : fs.createReadStream(content.file)
      try {
        const { fileID } = await app.uploadFile({ cloudPath, fileContent })
        return { fileID, cloudPath }
      } catch (error) {
        if (!Buffer.isBuffer(fileContent)) fileContent.destroy()
        return rethrow(error, `uploading ${cloudPath}`)
      }
    },

    async link(fileID, maxAgeSeconds = DEFAULT_LINK_MAX_AGE_S) {
      const askedAt = Date.now()
      let item: { code?: string; tempFileURL?: string; message?: string } | undefined
      try {
        item = (await app.getTempFileURL({ fileList: [{ fileID, maxAge: maxAgeSeconds }] })).fileList?.[0]
      } catch (error) {
        return rethrow(error, `a link to ${fileID}`)
      }
      if (!item || item.code !== 'SUCCESS' || !item.tempFileURL) {
        throw new StorageError(item?.code ?? 'STORAGE_REQUEST_FAIL', `a link to ${fileID}: ${item?.message ?? item?.code ?? 'no answer'}`)
      }
      return { fileID, url: item.tempFileURL, expiresAt: askedAt + maxAgeSeconds * 1000 }
    },

    async remove(fileIDs) {
      if (fileIDs.length === 0) return
      let results: Array<{ code?: string; fileID?: string; message?: string }>
      try {
        results = (await app.deleteFile({ fileList: fileIDs })).fileList ?? []
      } catch (error) {
        return rethrow(error, `deleting ${fileIDs.length} file(s)`)
      }
      const failed = results.filter((r) => r.code !== 'SUCCESS' && r.code !== 'STORAGE_FILE_NONEXIST')
      if (failed.length > 0) throw new StorageError(failed[0].code ?? 'STORAGE_REQUEST_FAIL', `deleting ${failed[0].fileID}: ${failed[0].message ?? failed[0].code}`)
    },
  }
}

/** How long an image link handed to pages lasts, and how much of it must be left to hand it out again. */
const IMAGE_LINK_MAX_AGE_S = 3600
const IMAGE_LINK_REUSE_MS = 10 * 60_000
const IMAGE_LINKS_KEPT = 2000
const imageLinks = new Map<string, { url: string; expiresAt: number }>()

/**
 * Pages show pictures kept in cloud storage: each view's `image` that is a file id (`cloud://…`)
 * becomes a temporary https link — one getTempFileURL call for all the ids a warm instance has no
 * fresh link for. An image that cannot be linked (deleted, not found) becomes null, so the page
 * shows its placeholder; an https image passes as it is. Times are the business clock's, as the
 * links' own expiry is.
 */
export async function withImageLinks<T extends { image: string | null }>(views: T[], app: CloudApp = cloudApp()): Promise<T[]> {
  const now = businessNow().getTime()
  const wanted = [...new Set(views.map((view) => view.image).filter((image): image is string => image?.startsWith('cloud://') === true))]
  const missing = wanted.filter((fileID) => (imageLinks.get(fileID)?.expiresAt ?? 0) - now < IMAGE_LINK_REUSE_MS)
  if (missing.length > 0) {
    let answered: { fileID?: string; code?: string; tempFileURL?: string }[] = []
    try {
      answered = (await app.getTempFileURL({ fileList: missing.map((fileID) => ({ fileID, maxAge: IMAGE_LINK_MAX_AGE_S })) })).fileList ?? []
    } catch (error) {
      // pictures are not worth failing a page for: the placeholders show
      console.error(`[storage] image links: ${(error as Error).message}`)
    }
    for (const item of answered) {
      if (item.fileID && item.code === 'SUCCESS' && item.tempFileURL) imageLinks.set(item.fileID, { url: item.tempFileURL, expiresAt: now + IMAGE_LINK_MAX_AGE_S * 1000 })
      else if (item.fileID) imageLinks.delete(item.fileID)
    }
    while (imageLinks.size > IMAGE_LINKS_KEPT) imageLinks.delete(imageLinks.keys().next().value as string)
  }
  return views.map((view) => {
    if (!view.image?.startsWith('cloud://')) return view
    const link = imageLinks.get(view.image)
    return { ...view, image: link && link.expiresAt > now ? link.url : null }
  })
}
