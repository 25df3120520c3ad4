/**
 * A scene as the contract takes it (domain/social/scene.ts reads it): `<kind>.<code>` — `c.` a
 * channel, `s.` a share — or a bare channel id (codes printed before kinds existed); at most
 * WeChat's 32 characters. Its own module without zod, so the mini-program's main package can
 * check a scene without carrying the contract.
 */
export const SCENE_PATTERN = /^(?:[cs]\.[A-Za-z0-9_-]{1,30}|[A-Za-z0-9_-]{1,32})$/
