export interface MemberCodeProps {
  /** the signed, short-lived member code from member.card */
  code: string
  /** when the code expires, ms since epoch */
  expiresAt: number
}
