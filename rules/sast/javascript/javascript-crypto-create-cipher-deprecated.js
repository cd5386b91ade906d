const crypto = require("crypto");
const { createDecipher } = require("crypto");

function legacy(password, data) {
  // ruleid: javascript-crypto-create-cipher-deprecated
  const cipher = crypto.createCipher("aes-256-cbc", password);
  // ruleid: javascript-crypto-create-cipher-deprecated
  const decipher = createDecipher("aes192", password);
  // ruleid: javascript-crypto-create-cipher-deprecated
  const other = crypto.createDecipher("aes-128-cbc", Buffer.from(password), { authTagLength: 16 });
  return [cipher.update(data), decipher, other];
}

function modern(password, salt, data) {
  const key = crypto.scryptSync(password, salt, 32);
  const iv = crypto.randomBytes(12);
  // ok: javascript-crypto-create-cipher-deprecated
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  // ok: javascript-crypto-create-cipher-deprecated
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, iv);
  return [cipher.update(data), decipher];
}
