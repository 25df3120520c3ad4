/**
 * The phone-number port: exchanges the code from the mini-program's getPhoneNumber button
 * (手机号快速验证) for the number, through WeChat's `phonenumber.getPhoneNumber` cloud call.
 * WeChat answers `{ errcode: 0, phone_info: { phoneNumber, purePhoneNumber, countryCode } }`.
 */
import { mainlandPhoneSchema } from '../../domain/contract'
import { AppError } from '../../domain/shared/errors'
import { callOpenApi } from '../platform/wechat'

/** errcodes that mean the code itself is bad or used (40029 invalid code, 40163 code been used). */
const BAD_CODE = /(?:^|\D)(40029|40163|40013)(?:\D|$)/

export async function phoneNumberFromCode(code: string): Promise<string> {
  let result
  try {
    result = await callOpenApi('phonenumber.getPhoneNumber', { code })
  } catch (error) {
    if (error instanceof AppError && BAD_CODE.test(error.message)) {
      throw new AppError('PHONE_CODE_INVALID', '手机号授权已失效，请重新授权', [{ path: 'code', message: 'invalid or used phone code' }])
    }
    throw error
  }
  if (!('json' in result)) throw new Error('phonenumber.getPhoneNumber answered with a non-JSON body')
  const info = (result.json.phone_info ?? {}) as { purePhoneNumber?: unknown; countryCode?: unknown }
  const phone = typeof info.purePhoneNumber === 'string' ? info.purePhoneNumber : ''
  if (String(info.countryCode ?? '86') !== '86' || !mainlandPhoneSchema.safeParse(phone).success) {
    throw new AppError('PHONE_NOT_MAINLAND', '暂只支持中国大陆手机号')
  }
  return phone
}
