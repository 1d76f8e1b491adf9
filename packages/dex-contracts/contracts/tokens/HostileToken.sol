// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {ERC20Core} from "./ERC20Core.sol";

/// Transfers like any ERC-20, but answers the metadata calls badly, to prove an
/// indexer survives tokens like these in the wild. Modes:
///   0 REVERT   name/symbol/decimals revert
///   1 BYTES32  name/symbol return bytes32 (as MKR and SAI do); decimals returns 1e30 (no uint8)
///   2 GARBAGE  name returns an ABI string whose offset points past the data, symbol
///              returns invalid UTF-8, decimals returns no data at all
///   3 GASBURN  name/symbol/decimals loop until out of gas
///   4 HUGE     name and symbol are 100,000-byte strings; decimals is 255
contract HostileToken is ERC20Core {
    uint8 public immutable mode;

    constructor(uint8 _mode, uint256 supply) {
        require(_mode <= 4, "HostileToken: MODE");
        mode = _mode;
        _mint(msg.sender, supply);
    }

    function name() external view returns (string memory) {
        _misbehave();
        return string(_huge(0x41));
    }

    function symbol() external view returns (string memory) {
        uint8 m = mode;
        if (m == 2) {
            assembly {
                // offset 0x20, length 4, bytes ff fe fd fc: not UTF-8
                mstore(0x00, 0x20)
                mstore(0x20, 4)
                mstore(0x40, 0xfffefdfc00000000000000000000000000000000000000000000000000000000)
                return(0x00, 0x60)
            }
        }
        _misbehave();
        return string(_huge(0x42));
    }

    function decimals() external view returns (uint8) {
        uint8 m = mode;
        if (m == 0) revert("HostileToken: NO_DECIMALS");
        if (m == 1) {
            assembly {
                mstore(0x00, 1000000000000000000000000000000)
                return(0x00, 0x20)
            }
        }
        if (m == 2) {
            assembly {
                return(0x00, 0)
            }
        }
        if (m == 3) _burnAllGas();
        return 255;
    }

    /// Shared behaviour of name() (and symbol() outside mode 2).
    function _misbehave() private view {
        uint8 m = mode;
        if (m == 0) revert("HostileToken: NO_METADATA");
        if (m == 1) {
            assembly {
                mstore(0x00, "HOSTILE")
                return(0x00, 0x20)
            }
        }
        if (m == 2) {
            assembly {
                // claims the string starts at offset 0x1000, far past the 64 bytes returned
                mstore(0x00, 0x1000)
                mstore(0x20, 0x20)
                return(0x00, 0x40)
            }
        }
        if (m == 3) _burnAllGas();
    }

    function _huge(bytes1 fill) private pure returns (bytes memory out) {
        out = new bytes(100_000); // a multiple of 32, so whole words fill it exactly
        uint256 word = uint256(uint8(fill)) * (type(uint256).max / 255); // fill in every byte
        for (uint256 i; i < out.length; i += 32) {
            assembly {
                mstore(add(add(out, 0x20), i), word)
            }
        }
    }

    function _burnAllGas() private pure {
        uint256 x;
        while (true) {
            unchecked { x++; }
        }
    }
}
