/** A frame to send to the detector, as the samples, the bench and the tests make them. */
export interface Frame {
    readonly name: string;
    readonly body: Buffer;
    readonly contentType: string;
    /** Good frames must be answered 200; bad ones 4xx. */
    readonly good: boolean;
}
