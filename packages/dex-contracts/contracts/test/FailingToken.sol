// SPDX-License-Identifier: GPL-3.0-or-later
pragma solidity ^0.8.28;

import {ERC20Core} from "../tokens/ERC20Core.sol";

/// Test helper: an ERC-20 whose transfers can be switched to return false or to
/// revert (all of them, or only those sent by one address), to reach the
/// TRANSFER_FAILED paths of the pair and the router.
contract FailingToken is ERC20Core {
    string public constant name = "Failing";
    string public constant symbol = "FAIL";
    uint8 public constant decimals = 18;

    /// 0: normal, 1: transfer/transferFrom return false, 2: they revert
    uint8 public failMode;
    /// When set, only transfers from this address fail.
    address public failFrom;

    constructor(uint256 supply) {
        _mint(msg.sender, supply);
    }

    function setFailMode(uint8 mode, address from) external {
        failMode = mode;
        failFrom = from;
    }

    function _transfer(address from, address to, uint256 value) internal override {
        uint8 mode = failMode;
        address only = failFrom;
        if (only != address(0) && only != from) mode = 0;
        if (mode == 1) {
            assembly {
                mstore(0x00, 0)
                return(0x00, 0x20)
            }
        }
        require(mode == 0, "FailingToken: TRANSFER_REVERTED");
        _move(from, to, value);
    }
}
