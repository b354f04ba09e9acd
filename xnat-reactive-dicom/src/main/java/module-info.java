/**
 * A small reader of DICOM Part 10 headers: {@link io.github.xnatreactive.dicom.DicomReader} reads a file's meta
 * information and data set up to the pixel data, in explicit or implicit VR little endian, explicit VR big endian or
 * deflated explicit VR little endian, and decodes text in the character sets names use. It has no dependencies; the
 * testkit, the client and the bulk engine share it.
 */
module io.github.xnatreactive.dicom {
    exports io.github.xnatreactive.dicom;
}
