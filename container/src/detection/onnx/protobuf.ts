/**
 * The few Protocol Buffers encodings the detector's ONNX model needs: varints, length-delimited
 * fields and packed repeated integers. Writing them here keeps a protobuf runtime out of the image.
 */
const enum WireType {
    Varint = 0,
    LengthDelimited = 2,
}

/** Appends fields to a message; `bytes()` returns the encoded message. */
export class MessageWriter {
    private readonly chunks: Uint8Array[] = [];

    varint(field: number, value: number | bigint): this {
        this.key(field, WireType.Varint);
        this.chunks.push(encodeVarint(value));
        return this;
    }

    bytes(field: number, value: Uint8Array): this {
        this.key(field, WireType.LengthDelimited);
        this.chunks.push(encodeVarint(value.length), value);
        return this;
    }

    string(field: number, value: string): this {
        return this.bytes(field, new TextEncoder().encode(value));
    }

    message(field: number, message: MessageWriter): this {
        return this.bytes(field, message.encode());
    }

    packedVarints(field: number, values: readonly (number | bigint)[]): this {
        return this.bytes(field, concat(values.map(encodeVarint)));
    }

    encode(): Uint8Array {
        return concat(this.chunks);
    }

    private key(field: number, wireType: WireType): void {
        this.chunks.push(encodeVarint((field << 3) | wireType));
    }
}

/** Base-128 varint; negative numbers as their 64-bit two's complement, as protobuf's int64 does. */
export function encodeVarint(value: number | bigint): Uint8Array {
    let v = BigInt.asUintN(64, BigInt(value));
    const out: number[] = [];
    do {
        const low = Number(v & 0x7fn);
        v >>= 7n;
        out.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
    return Uint8Array.from(out);
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
    const out = new Uint8Array(chunks.reduce((sum, c) => sum + c.length, 0));
    let offset = 0;
    for (const chunk of chunks) {
        out.set(chunk, offset);
        offset += chunk.length;
    }
    return out;
}
